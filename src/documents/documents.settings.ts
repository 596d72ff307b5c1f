import { Inject, Injectable } from '@nestjs/common';
import type { HrisConnector } from '../../connectors/connector';
import { getConnector } from '../../connectors/registry';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import type { FetchPolicy } from './data-url-fetcher';
import type { RateWindow } from './upload-rate-gate';

/**
 * Tunables of document write-back, and the one seam tests use: a test gateway
 * gets this provider (`gw.app.get(DocumentUploadSettings)`) to point uploads at
 * a connector built for the simulator's sped-up clock and to shrink the rate
 * window to match, without touching the process-wide connector registry.
 */
@Injectable()
export class DocumentUploadSettings {
  /** Personio allows 60 uploads/min per credential; 55 leaves room for the client's own 429/503 retries. */
  rate: RateWindow = { perWindow: 55, windowMs: 60_000 };
  /** Longest a POST may take end to end (queue wait, download, upload, retries) before it answers a retriable error. */
  requestBudgetMs = 120_000;
  /** How long a PENDING upload is protected from take-over by a retry (a crashed process's upload is retried after it). */
  leaseMs = 180_000;
  /** How long an Idempotency-Key is remembered (at least 24 h is promised; we keep 7 days). */
  keyTtlMs = 7 * 24 * 3600_000;
  /** Retries of sends the HRIS certainly did not process (429, 503), on top of the client's own. */
  maxAttempts = 3;
  retryBaseDelayMs = 1000;
  /** Poll interval while a concurrent request with the same key is still uploading. */
  pendingPollMs = 200;
  fetch: Omit<FetchPolicy, 'maxBytes'> & { maxBytes?: number };
  private readonly connectors = new Map<string, HrisConnector<unknown>>();

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.fetch = { allowPrivate: config.allowPrivateNetworkTargets, timeoutMs: 30_000, maxRedirects: 3 };
  }

  connector(tool: string): HrisConnector<unknown> | undefined {
    return this.connectors.get(tool) ?? getConnector(tool);
  }

  /** Tests: use this connector instance (e.g. one built with the simulator's timeScale) for a tool. */
  useConnector(tool: string, connector: HrisConnector<unknown>): void {
    this.connectors.set(tool, connector);
  }

  /** Tests: the simulator runs `timeScale` times faster, so the rate window shrinks alike. */
  useTimeScale(timeScale: number): void {
    this.rate = { ...this.rate, windowMs: 60_000 / timeScale };
    this.retryBaseDelayMs = 1000 / timeScale;
  }
}
