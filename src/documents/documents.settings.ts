import { Inject, Injectable } from '@nestjs/common';
import type { HrisConnector } from '../../connectors/connector';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import type { FetchPolicy } from './data-url-fetcher';
import type { RateWindow } from './upload-rate-gate';

/**
 * Tunables of document write-back. The connector comes from ConnectorRegistry;
 * tests that run an HRIS simulator on a sped-up clock shrink the time windows
 * here to match (`useTimeScale`).
 */
@Injectable()
export class DocumentUploadSettings {
  /** Divides every time window (the simulator's clock in tests runs this much faster). */
  private timeScale = 1;
  /** Longest a POST may take end to end (queue wait, download, upload, retries) before it answers a retriable error. */
  requestBudgetMs = 120_000;
  /** How long a PENDING upload is protected from take-over by a retry (a crashed process's upload is retried after it). */
  leaseMs = 180_000;
  /** How long an Idempotency-Key is remembered (at least 24 h is promised; we keep 7 days). */
  keyTtlMs = 7 * 24 * 3600_000;
  /** Retries of sends the HRIS certainly did not process (429, 503), on top of the client's own. */
  maxAttempts = 3;
  retryBaseDelayMs = 1000;
  /**
   * Saves of an accepted upload's outcome (SUCCEEDED and the HRIS's id) before the
   * request gives up and answers that the document was uploaded but not recorded.
   * The waits double from the base (jittered, at most 4 s), within the request's budget.
   */
  recordAttempts = 6;
  recordRetryBaseDelayMs = 250;
  /** Poll interval while a concurrent request with the same key is still uploading. */
  pendingPollMs = 200;
  fetch: Omit<FetchPolicy, 'maxBytes'> & { maxBytes?: number };

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.fetch = { allowPrivate: config.allowPrivateNetworkTargets, timeoutMs: 30_000, maxRedirects: 3 };
  }

  /** The tool's own upload rate (`HrisConnector.uploadRate`): the queue keeps every integration below it. */
  rateFor(connector: Pick<HrisConnector<unknown>, 'uploadRate'>): RateWindow {
    return { perWindow: connector.uploadRate.perWindow, windowMs: connector.uploadRate.windowMs / this.timeScale };
  }

  /** Tests: the simulator runs `timeScale` times faster, so the rate window and retry delays shrink alike. */
  useTimeScale(timeScale: number): void {
    this.timeScale = timeScale;
    this.retryBaseDelayMs = 1000 / timeScale;
  }
}
