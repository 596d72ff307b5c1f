import { Injectable } from '@nestjs/common';
import { ConnectorError, isConnectorError, type ConnectorContext, type DocumentUpload, type HrisConnector } from '../../connectors/connector';
import { backoffDelay, type BackoffPolicy } from '../../connectors/http/backoff';
import { GatewayError } from '../common/errors';
import { getLogger } from '../common/logger';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationsService } from '../integrations/integrations.service';
import { DocumentUploadsStore } from './document-uploads.store';
import { DocumentUploadSettings } from './documents.settings';
import { UploadRateGate } from './upload-rate-gate';

/**
 * Sends one document to the HRIS through the per-integration queue, retrying
 * only failures the HRIS certainly did not process (429, 503) while the
 * request's time budget lasts. Anything ambiguous (a 500, a dropped connection
 * after the file went out, the budget running out mid-send) is reported, not
 * resent: an upload is not idempotent upstream.
 */
@Injectable()
export class UploadSender {
  private readonly log = getLogger('documents');

  constructor(
    private readonly gate: UploadRateGate,
    private readonly store: DocumentUploadsStore,
    private readonly settings: DocumentUploadSettings,
    private readonly integrations: IntegrationsService,
  ) {}

  async send(
    integration: IntegrationEntity,
    connector: HrisConnector<unknown>,
    uploadId: string,
    employeeRemoteId: string,
    doc: DocumentUpload,
    deadline: number,
  ): Promise<string | null> {
    const result = await this.run(
      integration,
      connector,
      deadline,
      { maxAttempts: this.settings.maxAttempts, onAttempt: () => this.store.recordAttempt(uploadId), logFields: { upload_id: uploadId } },
      (ctx) => connector.uploadDocument(ctx, employeeRemoteId, doc),
    );
    return result.remote_id;
  }

  /**
   * One write to the HRIS through the integration's queue (a slot per attempt),
   * with its own abort signal for what is left of the deadline. `maxAttempts` 1
   * for a write of several remote steps, where a retry could repeat the steps
   * that did succeed.
   */
  async run<T>(
    integration: IntegrationEntity,
    connector: Pick<HrisConnector<unknown>, 'uploadRate'>,
    deadline: number,
    opts: { maxAttempts: number; onAttempt?: () => Promise<void>; logFields?: Record<string, unknown> },
    call: (ctx: ConnectorContext<unknown>) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const grant = await this.gate.reserve(integration.id, this.settings.rateFor(connector), Math.max(0, deadline - Date.now() - 1000));
      if (!grant.granted) throw queueFull(grant.retryAfterMs);
      if (grant.waitMs > 0) await sleep(grant.waitMs);
      await opts.onAttempt?.();
      const remaining = Math.max(1, deadline - Date.now());
      const ctx = this.integrations.contextFor(integration, { signal: AbortSignal.timeout(remaining) });
      try {
        return await call(ctx);
      } catch (e) {
        const delay = backoffDelay(uploadBackoff(this.settings.retryBaseDelayMs), attempt);
        if (!(isConnectorError(e) && notProcessed(e)) || attempt >= opts.maxAttempts || Date.now() + delay >= deadline) throw e;
        this.log.warn(
          { integration_id: integration.id, ...opts.logFields, attempt, kind: e.kind, status: e.details.status },
          'write refused upstream, retrying',
        );
        await sleep(delay);
      }
    }
  }
}

/**
 * Upload retries double from the base up to eight times it. The jitter only
 * lengthens a wait (never below the plain doubling), so a retry does not land
 * sooner than the HRIS's rate window allows; it spreads uploads of many
 * requests refused together.
 */
export function uploadBackoff(baseDelayMs: number): BackoffPolicy {
  return { baseDelayMs, maxDelayMs: baseDelayMs * 8, jitter: [1, 1.25] };
}

/** 429 and 503 mean the HRIS did not take the request; anything else may have stored the file. */
export function notProcessed(e: ConnectorError): boolean {
  return e.kind === 'RATE_LIMITED' || (e.kind === 'UPSTREAM_UNAVAILABLE' && (e.details.status === 503 || e.details.status === 429));
}

function queueFull(retryAfterMs: number): GatewayError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GatewayError(
    'REMOTE.RATE_LIMIT_EXCEEDED',
    `The HRIS accepts a limited number of writes per minute and this integration's queue is full for longer than this request may wait; retry in ${seconds} s (with the same Idempotency-Key, where the route takes one).`,
    { headers: { 'Retry-After': String(seconds) } },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
