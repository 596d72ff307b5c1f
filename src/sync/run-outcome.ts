// How a sync run ended, decided from what the read came to or the error it threw:
// the final status, the error shown in the run history, whether the schedule retries
// it and whether the integration becomes INVALID. Pure; the runner records it.
import { isConnectorError } from '../../connectors/connector';
import { credentialsUnreadableReason, SecretUnreadableError } from '../integrations/vault';
import { SyncStopped } from './page-writer';
import type { SyncStatus } from './sync-runs.repository';

/** How a run ended, before it is recorded: its status, error, and what follows from it. */
export interface Outcome {
  status: Exclude<SyncStatus, 'QUEUED' | 'RUNNING'>;
  error: { message: string; kind: string } | null;
  /** The schedule retries the run with backoff (false: no automatic retry). */
  retry: boolean;
  /** Moves an ACTIVE integration to INVALID with this status reason. */
  invalidate?: string;
  /** The read was complete (skipped records count as seen), so a full run may mark deletions. */
  complete?: boolean;
}

/**
 * A run that did not end in an error; `partial` names what the read left out.
 * A run that read everything but left out records Postgres refused ends PARTIALLY_FAILED
 * (as Kombo and Merge report such runs) and still marks deletions: the skipped records
 * were seen. Other partial reads delete nothing.
 */
export function readOutcome(partial: string | null, skippedTotal: number): Outcome {
  const skipped = skippedTotal ? `${skippedTotal} record(s) could not be stored and were skipped (see skipped_records); the rest was stored.` : null;
  if (partial) return { status: 'PARTIALLY_FAILED', error: { message: skipped ? `${partial} ${skipped}` : partial, kind: 'PARTIAL' }, retry: false };
  if (skipped) return { status: 'PARTIALLY_FAILED', error: { message: skipped, kind: 'RECORDS_SKIPPED' }, retry: false, complete: true };
  return { status: 'SUCCEEDED', error: null, retry: false, complete: true };
}

/** A run that threw: stopped (cancel, lease, shutdown, timeout), refused by the HRIS, or failed inside the gateway. */
export function failureOutcome(e: unknown, stopReason: SyncStopped['reason'] | null, runTimeoutMs: number): Outcome {
  const reason = e instanceof SyncStopped ? e.reason : isConnectorError(e) && e.kind === 'ABORTED' ? stopReason : null;
  if (reason === 'lease') return { status: 'FAILED', error: { message: 'lease lost', kind: 'LEASE_LOST' }, retry: false };
  if (reason === 'cancel') return { status: 'CANCELLED', error: { message: 'The sync was cancelled.', kind: 'CANCELLED' }, retry: false };
  if (reason === 'shutdown')
    return { status: 'CANCELLED', error: { message: 'The gateway process shut down during the sync; it is queued again.', kind: 'SHUTDOWN' }, retry: true };
  if (reason === 'timeout') {
    return {
      status: 'TIMED_OUT',
      error: { message: `The sync did not finish within ${Math.round(runTimeoutMs / 60_000)} minutes.`, kind: 'TIMEOUT' },
      retry: true,
    };
  }
  if (isConnectorError(e)) {
    const error = { message: e.message, kind: e.kind };
    if (e.kind === 'AUTH_FAILED' || e.kind === 'PERMISSION_MISSING') {
      return { status: 'AUTHENTICATION_FAILED', error, retry: false, invalidate: `Authentication failed during a sync: ${e.message}` };
    }
    return { status: 'FAILED', error, retry: true };
  }
  if (e instanceof SecretUnreadableError) {
    // No retry helps until the operator restores the key or the customer relinks.
    const message = credentialsUnreadableReason(e);
    return { status: 'FAILED', error: { message, kind: 'CREDENTIALS_UNREADABLE' }, retry: false, invalidate: message };
  }
  return {
    status: 'FAILED',
    error: { message: 'The sync failed with an internal error; see the gateway logs for this sync id.', kind: 'INTERNAL' },
    retry: true,
  };
}
