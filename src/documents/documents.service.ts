import { Injectable } from '@nestjs/common';
import { isConnectorError } from '../../connectors/connector';
import { backoffDelay } from '../../connectors/http/backoff';
import { ErrorCode, GatewayError } from '../common/errors';
import { sha256Hex } from '../common/ids';
import { getLogger } from '../common/logger';
import { toGatewayError } from '../integrations/connector-errors';
import { IntegrationEntity } from '../integrations/integration.entity';
import { obtainFile } from './document-file';
import { DocumentRequest, ExtensionHeaders, prepareDocumentRequest } from './document-request';
import { DocumentTargets } from './document-targets';
import { DocumentUploadsStore, UploadRecord } from './document-uploads.store';
import { AddEmployeeDocumentDto } from './documents.dto';
import { DocumentUploadSettings } from './documents.settings';
import { UploadSender } from './upload-sender';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { documentUploads } from '../metrics/metrics';

export interface AddDocumentResult {
  data: { upload_id: string; remote_id: string | null };
  warnings: { message: string }[];
  /** True when an earlier request with the same Idempotency-Key produced this answer. */
  replayed: boolean;
}

const REPLAY_HEADERS = { 'Idempotent-Replayed': 'true' };
const UNRECORDED_LIMIT = 10_000;

/**
 * An abandoned upload that had started sending: the HRIS may have stored it, and
 * there is no way to ask (Personio cannot list an employee's documents), so it is
 * never sent again under this key. Kombo's SDK knows no better code for a key in a
 * state that refuses the request than PLATFORM.INPUT_INVALID, answered with 409 like
 * the key's other conflicts; it is the only non-retriable PLATFORM.INPUT_INVALID
 * an upload record holds (isRetriable), which is how a replay keeps the 409.
 */
const OUTCOME_UNKNOWN_CODE: ErrorCode = 'PLATFORM.INPUT_INVALID';
const OUTCOME_UNKNOWN_MESSAGE =
  'The previous request with this Idempotency-Key stopped after sending the document to the HRIS and before its outcome was recorded, ' +
  "so the outcome is unknown and the document is not sent again. Check the employee's documents in the HRIS; to upload it again, use a new Idempotency-Key.";

/**
 * POST /hris/employees/{id}/documents: checks everything it can locally,
 * claims the upload (the Idempotency-Key record), gets the bytes, sends them
 * through the per-integration queue and records the outcome. Success is only
 * ever reported after the HRIS accepted the document.
 */
@Injectable()
export class DocumentsService {
  private readonly log = getLogger('documents');
  /** Uploads the HRIS accepted whose SUCCEEDED could not be saved: upload id → the HRIS's document id. */
  private readonly unrecorded = new Map<string, string | null>();

  constructor(
    private readonly store: DocumentUploadsStore,
    private readonly targets: DocumentTargets,
    private readonly sender: UploadSender,
    private readonly settings: DocumentUploadSettings,
    private readonly connectors: ConnectorRegistry,
  ) {}

  async addDocument(
    integration: IntegrationEntity,
    employeeId: string,
    body: AddEmployeeDocumentDto,
    headers: ExtensionHeaders,
    streamed?: Buffer,
  ): Promise<AddDocumentResult> {
    const deadline = Date.now() + this.settings.requestBudgetMs;
    assertWritable(integration);
    const connector = this.connectors.find(integration.tool);
    if (!connector?.tool.coverage.write.employee_documents) {
      throw new GatewayError('INTEGRATION.ACTION_NOT_AVAILABLE', `Document upload is not available for ${integration.tool} integrations.`);
    }
    const rules = connector.uploadRules;
    const req = prepareDocumentRequest(employeeId, body, headers, rules, streamed);
    const targets = await this.targets.resolve(integration, employeeId, req.categoryId);

    const claimed = await this.claim(integration.id, req, targets, deadline);
    if ('replay' in claimed) {
      documentUploads.inc({ outcome: 'replayed' });
      return replay(claimed.replay);
    }
    const record = claimed.record;
    const warnings: { message: string }[] = [];
    let remoteId: string | null;
    let size: number;
    try {
      const file = await obtainFile(req, rules, 'document', { fetch: this.settings.fetch, deadline, warnings });
      size = file.bytes.length;
      await this.store.recordFile(record.id, { size, sha256: sha256Hex(file.bytes), contentType: file.contentType });
      remoteId = await this.sender.send(
        integration,
        connector,
        record.id,
        targets.employeeRemoteId,
        {
          fileName: req.fileName,
          contentType: file.contentType,
          bytes: file.bytes,
          categoryRemoteId: targets.categoryRemoteId,
          title: req.title,
          comment: req.comment ?? undefined,
          date: req.date ?? undefined,
        },
        deadline,
      );
    } catch (e) {
      const err = toGatewayError(e);
      if (!(e instanceof GatewayError) && !isConnectorError(e)) this.log.error({ err: e, upload_id: record.id }, 'document upload failed unexpectedly');
      await this.store.complete(record.id, { status: 'FAILED', error_code: err.code, error_message: err.message, retriable: isRetriable(err.code) });
      documentUploads.inc({ outcome: 'failed' });
      this.log.warn({ integration_id: integration.id, upload_id: record.id, code: err.code }, 'document upload failed');
      throw err;
    }
    // The HRIS has the document now: from here on nothing may turn this into a failure a retry would send again.
    documentUploads.inc({ outcome: 'succeeded' });
    this.log.info({ integration_id: integration.id, upload_id: record.id, remote_id: remoteId, size }, 'document uploaded');
    await this.recordAccepted(record, remoteId, deadline);
    return { data: { upload_id: record.id, remote_id: remoteId }, warnings, replayed: false };
  }

  /**
   * Stores SUCCEEDED with the HRIS's document id, retrying the save (a database
   * blip) while the request's budget allows. If it still cannot be saved, the
   * record stays PENDING with `attempts > 0`, which no retry sends again (settle);
   * this process remembers the id, so a retry with the key that reaches it saves
   * the outcome and answers it. The caller is told the document was uploaded.
   */
  private async recordAccepted(record: UploadRecord, remoteId: string | null, deadline: number): Promise<UploadRecord> {
    const policy = { baseDelayMs: this.settings.recordRetryBaseDelayMs, maxDelayMs: 4000 };
    for (let attempt = 1; ; attempt++) {
      try {
        const saved = await this.store.complete(record.id, { status: 'SUCCEEDED', remote_id: remoteId });
        this.unrecorded.delete(record.id);
        return saved;
      } catch (e) {
        const delay = backoffDelay(policy, attempt);
        if (attempt >= this.settings.recordAttempts || Date.now() + delay >= deadline) {
          this.remember(record.id, remoteId);
          this.log.error(
            { err: e, integration_id: record.integration_id, upload_id: record.id, remote_id: remoteId },
            'document uploaded but its outcome could not be saved',
          );
          throw notRecorded(remoteId, record.idempotency_key !== null);
        }
        this.log.warn({ err: e, upload_id: record.id, attempt }, 'saving an accepted upload failed, retrying');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private remember(uploadId: string, remoteId: string | null): void {
    this.unrecorded.delete(uploadId);
    this.unrecorded.set(uploadId, remoteId);
    // Bounded: only outcomes lost to an outage land here, and the oldest matter least (their lease has long run out).
    if (this.unrecorded.size > UNRECORDED_LIMIT) this.unrecorded.delete(this.unrecorded.keys().next().value!);
  }

  /**
   * The upload record for this request. Without a key, always a new one. With
   * a key: a new record; or the stored outcome of the first request (same body);
   * or a take-over of a failed-but-retriable or abandoned one; or, while another
   * request with the key is still sending, a wait for its outcome.
   */
  private async claim(
    integrationId: string,
    req: DocumentRequest,
    targets: { employeeRemoteId: string; categoryRemoteId: string },
    deadline: number,
  ): Promise<{ record: UploadRecord } | { replay: UploadRecord }> {
    const fresh = () =>
      this.store.insert(
        {
          integration_id: integrationId,
          employee_id: req.employeeId,
          employee_remote_id: targets.employeeRemoteId,
          category_id: req.categoryId,
          category_remote_id: targets.categoryRemoteId,
          file_name: req.fileName,
          title: req.title,
          document_date: req.date,
          source: req.source,
          idempotency_key: req.idempotencyKey,
          request_hash: req.requestHash,
        },
        this.settings.leaseMs,
      );
    for (;;) {
      const inserted = await fresh();
      if (inserted) return { record: inserted };
      const existing = await this.store.findByKey(integrationId, req.idempotencyKey!);
      if (!existing) continue; // released between the insert and the read
      if (existing.request_hash !== req.requestHash) {
        if (await this.store.releaseExpiredKey(existing.id, this.settings.keyTtlMs)) continue;
        throw new GatewayError(
          'PLATFORM.INPUT_INVALID',
          'This Idempotency-Key was already used with a different request body; use a new key for a different document.',
          { status: 409 },
        );
      }
      const settled = await this.settle(existing, deadline);
      if (settled) return settled;
    }
  }

  /** Decides what a repeated request gets once the first one is settled; null to try the claim again. */
  private async settle(existing: UploadRecord, deadline: number): Promise<{ record: UploadRecord } | { replay: UploadRecord } | null> {
    let current: UploadRecord | null = existing;
    while (current) {
      if (current.status !== 'SUCCEEDED' && this.unrecorded.has(current.id)) {
        // This process saw the HRIS accept it but could not save that: try once more, never send again.
        return { replay: await this.recordAccepted(current, this.unrecorded.get(current.id)!, deadline) };
      }
      if (current.status === 'SUCCEEDED' || (current.status === 'FAILED' && !current.retriable)) return { replay: current };
      // One conditional update per look: a PENDING upload that has sent can only be abandoned
      // once its lease runs out (abandonUnknown), anything else only taken over (takeOver).
      if (current.status === 'PENDING' && current.attempts > 0) {
        const abandoned = await this.store.abandonUnknown(current.id, { code: OUTCOME_UNKNOWN_CODE, message: OUTCOME_UNKNOWN_MESSAGE });
        if (abandoned) {
          this.log.warn({ integration_id: current.integration_id, upload_id: current.id, attempts: current.attempts }, 'abandoned upload with unknown outcome');
          return { replay: abandoned };
        }
      } else {
        const taken = await this.store.takeOver(current.id, this.settings.leaseMs);
        if (taken) return { record: taken };
      }
      if (current.status === 'PENDING') {
        if (Date.now() + this.settings.pendingPollMs >= deadline) {
          throw new GatewayError(
            'PLATFORM.INPUT_INVALID',
            'An upload with this Idempotency-Key is still in progress; retry later with the same key to get its outcome.',
            { status: 409 },
          );
        }
        await new Promise((r) => setTimeout(r, this.settings.pendingPollMs));
      }
      current = await this.store.findById(current.integration_id, current.id);
    }
    return null;
  }
}

export function assertWritable(integration: IntegrationEntity): void {
  if (integration.status === 'INACTIVE') throw new GatewayError('INTEGRATION.INACTIVE', `Integration "${integration.id}" is inactive.`);
  if (integration.setupStatus === 'INCOMPLETE') {
    throw new GatewayError('INTEGRATION.SETUP_INCOMPLETE', `The setup of integration "${integration.id}" is not complete yet.`);
  }
  if (!integration.firstSyncCompletedAt) {
    throw new GatewayError(
      'INTEGRATION.SETUP_SYNC_PENDING',
      `The first sync of integration "${integration.id}" has not finished yet; employees and categories are not known until it has.`,
    );
  }
}

/** A rejected input stays rejected; everything else (limits, outages, timeouts, permissions) may succeed on a retry. */
function isRetriable(code: ErrorCode): boolean {
  return code !== 'REMOTE.INPUT_INVALID';
}

function replay(r: UploadRecord): AddDocumentResult {
  if (r.status === 'SUCCEEDED') return { data: { upload_id: r.id, remote_id: r.remote_id }, warnings: [], replayed: true };
  const status = r.error_code === OUTCOME_UNKNOWN_CODE && !r.retriable ? 409 : undefined;
  throw new GatewayError((r.error_code ?? 'PLATFORM.UNKNOWN_ERROR') as ErrorCode, r.error_message ?? 'The upload failed.', { status, headers: REPLAY_HEADERS });
}

/** The HRIS accepted the document, the gateway could not save that: never a retriable failure, never "send it again". */
function notRecorded(remoteId: string | null, keyed: boolean): GatewayError {
  return new GatewayError(
    'PLATFORM.UNKNOWN_ERROR',
    `The document was uploaded to the HRIS${remoteId !== null ? ` (document id ${remoteId})` : ''}, but the gateway could not record the upload ` +
      'in its database; do not send it again.' +
      (keyed ? ' A retry with the same Idempotency-Key never uploads it again.' : ''),
  );
}
