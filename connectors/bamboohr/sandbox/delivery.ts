import { randomUUID } from 'node:crypto';
import { DeliveryTimers } from '../../sandbox-kit/delivery';
import { SandboxState } from './state';
import { DeliveryAttempt } from './types';
import { ChangeEvent, StoredWebhook, payload, sign } from './webhooks';

/**
 * Sends webhook requests: one per (webhook, event), in order of publication, with the configured
 * retries (BambooHR's schedule is UNVERIFIED, NOTES §4.13). Only allowed hosts are reached.
 */
export class DeliveryQueue {
  private readonly timers = new DeliveryTimers();

  constructor(private readonly state: SandboxState) {}

  enqueue(w: StoredWebhook, type: string, c: ChangeEvent, changedFields: string[]): void {
    const p = payload(this.state, w, type, c, changedFields);
    const deliveryId = randomUUID();
    this.schedule(this.state.webhookSettings.dispatchLatencyMs, () => this.attempt(w, type, c, p, deliveryId, 1));
  }

  private schedule(ms: number, run: () => Promise<void>): void {
    this.timers.later(ms, run);
  }

  private async attempt(
    w: StoredWebhook,
    type: string,
    c: ChangeEvent,
    p: { body: string; contentType: string },
    deliveryId: string,
    n: number,
  ): Promise<void> {
    const s = this.state.webhookSettings;
    const now = this.state.now();
    const timestamp = s.timestampFormat === 'unix' ? String(Math.floor(now / 1000)) : new Date(now).toISOString().slice(0, 19) + '+0000';
    const headers: Record<string, string> = {
      'content-type': p.contentType,
      'user-agent': 'BambooHR-WebHooks/1.0 (+https://www.bamboohr.com)',
      'x-bamboohr-timestamp': timestamp,
      'x-bamboohr-signature': sign(w.privateKey, p.body, timestamp),
    };
    if (w.includeCompanyDomain) headers['company-domain'] = this.state.options.company;
    const record: DeliveryAttempt = {
      deliveryId,
      webhookId: String(w.id),
      type,
      url: w.url,
      employeeIds: [String(c.employeeId)],
      attempt: n,
      at: now,
      status: null,
      error: null,
      headers,
      body: p.body,
    };
    let host: string;
    try {
      host = new URL(w.url).hostname;
    } catch {
      host = '';
    }
    if (!s.allowedHosts.includes(host)) {
      record.error = `host ${host} is not in allowedHosts`;
      this.state.deliveries.push(record);
      return;
    }
    try {
      const res = await fetch(w.url, { method: 'POST', headers, body: p.body, signal: AbortSignal.timeout(s.deliveryTimeoutMs), redirect: 'manual' });
      await res.arrayBuffer().catch(() => undefined);
      record.status = res.status;
      w.lastSent = now;
    } catch (err) {
      record.error = (err as Error).name === 'TimeoutError' ? 'timeout' : (err as Error).message;
    }
    this.state.deliveries.push(record);
    const ok = record.status !== null && record.status >= 200 && record.status < 300;
    const delay = s.retryDelaysMs[n - 1];
    if (!ok && delay !== undefined) this.schedule(delay, () => this.attempt(w, type, c, p, deliveryId, n + 1));
  }

  /** Resolves when nothing is waiting, in flight or scheduled for retry. */
  idle(timeoutMs = 15_000): Promise<void> {
    return this.timers.idle(timeoutMs);
  }

  stop(): void {
    this.timers.stop();
  }
}
