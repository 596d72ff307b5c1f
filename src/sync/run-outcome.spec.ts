import { ConnectorError } from '../../connectors/connector';
import { SecretUnreadableError } from '../integrations/vault';
import { SyncStopped } from './page-writer';
import { failureOutcome, readOutcome } from './run-outcome';

describe('readOutcome', () => {
  it('a complete read without skipped records succeeds and may mark deletions', () => {
    expect(readOutcome(null, 0)).toEqual({ status: 'SUCCEEDED', error: null, retry: false, complete: true });
  });

  it('skipped records end PARTIALLY_FAILED but the read still counts as complete', () => {
    const o = readOutcome(null, 3);
    expect(o).toMatchObject({ status: 'PARTIALLY_FAILED', retry: false, complete: true, error: { kind: 'RECORDS_SKIPPED' } });
    expect(o.error!.message).toMatch(/^3 record\(s\) could not be stored/);
  });

  it('a partial read deletes nothing, and names skipped records too', () => {
    expect(readOutcome('Document categories could not be read.', 0)).toEqual({
      status: 'PARTIALLY_FAILED',
      retry: false,
      error: { kind: 'PARTIAL', message: 'Document categories could not be read.' },
    });
    expect(readOutcome('Categories missing.', 2).error!.message).toMatch(/^Categories missing\. 2 record\(s\)/);
    expect(readOutcome('x', 2).complete).toBeUndefined();
  });
});

describe('failureOutcome', () => {
  const timeout = 90 * 60_000;

  it('maps a stop to its status: lease lost, cancelled, shut down (retried), timed out (retried)', () => {
    expect(failureOutcome(new SyncStopped('lease'), null, timeout)).toMatchObject({ status: 'FAILED', error: { kind: 'LEASE_LOST' }, retry: false });
    expect(failureOutcome(new SyncStopped('cancel'), null, timeout)).toMatchObject({ status: 'CANCELLED', error: { kind: 'CANCELLED' }, retry: false });
    expect(failureOutcome(new SyncStopped('shutdown'), null, timeout)).toMatchObject({ status: 'CANCELLED', error: { kind: 'SHUTDOWN' }, retry: true });
    const timedOut = failureOutcome(new SyncStopped('timeout'), null, timeout);
    expect(timedOut).toMatchObject({ status: 'TIMED_OUT', error: { kind: 'TIMEOUT' }, retry: true });
    expect(timedOut.error!.message).toContain('within 90 minutes');
  });

  it('an aborted connector call takes the reason the run was stopped for', () => {
    expect(failureOutcome(new ConnectorError('ABORTED', 'aborted'), 'cancel', timeout)).toMatchObject({ status: 'CANCELLED' });
    expect(failureOutcome(new ConnectorError('ABORTED', 'aborted'), null, timeout)).toMatchObject({
      status: 'FAILED',
      error: { kind: 'ABORTED' },
      retry: true,
    });
  });

  it('refused credentials fail without retry and invalidate the integration', () => {
    for (const kind of ['AUTH_FAILED', 'PERMISSION_MISSING'] as const) {
      const o = failureOutcome(new ConnectorError(kind, 'no access'), null, timeout);
      expect(o).toMatchObject({ status: 'AUTHENTICATION_FAILED', retry: false, invalidate: 'Authentication failed during a sync: no access' });
    }
  });

  it('other connector errors are retried', () => {
    expect(failureOutcome(new ConnectorError('UPSTREAM_UNAVAILABLE', 'HTTP 503'), null, timeout)).toEqual({
      status: 'FAILED',
      error: { kind: 'UPSTREAM_UNAVAILABLE', message: 'HTTP 503' },
      retry: true,
    });
  });

  it('credentials no key opens fail without retry and invalidate; anything else is an internal error, retried', () => {
    const unreadable = failureOutcome(new SecretUnreadableError('k1', 'missing-key'), null, timeout);
    expect(unreadable).toMatchObject({ status: 'FAILED', error: { kind: 'CREDENTIALS_UNREADABLE' }, retry: false });
    expect(unreadable.invalidate).toBe(unreadable.error!.message);
    const internal = failureOutcome(new TypeError('x is undefined'), null, timeout);
    expect(internal).toMatchObject({ status: 'FAILED', error: { kind: 'INTERNAL' }, retry: true });
    expect(internal.error!.message).not.toContain('x is undefined');
  });
});
