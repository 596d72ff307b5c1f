import { Injectable } from '@nestjs/common';
import { ConnectorError, isConnectorError, type DocumentUpload, type HrisConnector } from '../../connectors/connector';
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

  async send(integration: IntegrationEntity, connector: HrisConnector<unknown>, uploadId: string, employeeRemoteId: string, doc: DocumentUpload, deadline: number): Promise<string | null> {
    for (let attempt = 1; ; attempt++) {
      const grant = await this.gate.reserve(integration.id, this.settings.rateFor(connector), Math.max(0, deadline - Date.now() - 1000));
      if (!grant.granted) throw queueFull(grant.retryAfterMs);
      if (grant.waitMs > 0) await sleep(grant.waitMs);
      await this.store.recordAttempt(uploadId);
      const remaining = Math.max(1, deadline - Date.now());
      const ctx = this.integrations.contextFor(integration, { signal: AbortSignal.timeout(remaining) });
      try {
        const result = await connector.uploadDocument(ctx, employeeRemoteId, doc);
        return result.remote_id;
      } catch (e) {
        const delay = this.settings.retryBaseDelayMs * 2 ** (attempt - 1);
        if (!(isConnectorError(e) && notProcessed(e)) || attempt >= this.settings.maxAttempts || Date.now() + delay >= deadline) throw e;
        this.log.warn({ integration_id: integration.id, upload_id: uploadId, attempt, kind: e.kind, status: e.details.status }, 'document upload refused upstream, retrying');
        await sleep(delay);
      }
    }
  }
}

/** 429 and 503 mean the HRIS did not take the request; anything else may have stored the file. */
export function notProcessed(e: ConnectorError): boolean {
  return e.kind === 'RATE_LIMITED' || (e.kind === 'UPSTREAM_UNAVAILABLE' && (e.details.status === 503 || e.details.status === 429));
}

function queueFull(retryAfterMs: number): GatewayError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GatewayError(
    'REMOTE.RATE_LIMIT_EXCEEDED',
    `The HRIS accepts a limited number of uploads per minute and this integration's queue is full for longer than this request may wait; retry in ${seconds} s (with the same Idempotency-Key).`,
    { headers: { 'Retry-After': String(seconds) } },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
