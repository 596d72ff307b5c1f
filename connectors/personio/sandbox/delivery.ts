import { ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DeliveryTimers } from '../../sandbox-kit/delivery';
import { SandboxFaults, WebhookSettings } from './types';
import { DeliveryAttempt, StoredWebhook, WebhookEvent, isAllowedHost } from './webhooks';

interface Job {
  webhookId: string;
  event: WebhookEvent;
  attempt: number; // 1 = first attempt
  tokenAtEvent: string | null;
  force: boolean; // ping / test-event: sent whatever the webhook's status
}

interface PostResult {
  status: number | null;
  error: string | null;
}

interface DeliveryDeps {
  webhooks: Map<string, StoredWebhook>;
  settings(): WebhookSettings;
  faults(): SandboxFaults;
  roll(rate: number): boolean;
  random(): number;
}

/**
 * Sends events to subscribed webhooks the way V2-WEBHOOKS §1.5–1.7 describes: POST JSON, 3 s to
 * answer, no redirects, retries on timeout/5xx-but-501 with growing delays (scaled by
 * retryTimeScale), up to 2 back-to-back requests per attempt, and only to allowed hosts.
 */
export class DeliveryEngine {
  readonly attempts: DeliveryAttempt[] = [];
  /** Events that matched each webhook (its `/events` log). */
  readonly perWebhook = new Map<string, WebhookEvent[]>();
  private readonly timers = new DeliveryTimers();
  private readonly inflight = new Set<ClientRequest>();
  private held: Job[] = [];

  constructor(private readonly d: DeliveryDeps) {}

  /** Queues `event` for every enabled webhook subscribed to it. */
  publish(event: WebhookEvent): void {
    for (const w of this.d.webhooks.values()) {
      if (w.status !== 'ENABLED' || !w.enabled_events.includes(event.event_name)) continue;
      this.sendTo(w, event, false);
    }
  }

  /** Delivers `event` to one webhook regardless of its subscription (ping, test-event, redelivery). */
  sendTo(w: StoredWebhook, event: WebhookEvent, force = true): void {
    const log = this.perWebhook.get(w.id) ?? [];
    if (!log.includes(event)) log.push(event);
    this.perWebhook.set(w.id, log);
    const s = this.d.settings();
    const latency = s.dispatchLatencyMs + (s.dispatchJitterMs > 0 ? Math.floor(this.d.random() * (s.dispatchJitterMs + 1)) : 0);
    this.later(latency, () => this.due({ webhookId: w.id, event, attempt: 1, tokenAtEvent: w.token, force }));
  }

  idle(timeoutMs = 30_000): Promise<void> {
    return this.timers.idle(timeoutMs);
  }

  stop(): void {
    this.timers.stop();
    for (const r of this.inflight) r.destroy();
  }

  private later(ms: number, fn: () => void | Promise<void>): void {
    this.timers.later(ms, fn);
  }

  /** First attempts go through the out-of-order batcher when that fault is on. */
  private async due(job: Job): Promise<void> {
    if (job.attempt === 1 && this.d.faults().webhookOutOfOrder) {
      this.held.push(job);
      if (this.held.length === 1) {
        this.later(this.d.settings().outOfOrderWindowMs, async () => {
          const batch = this.held.reverse();
          this.held = [];
          for (const j of batch) await this.run(j);
        });
      }
      return;
    }
    await this.run(job);
  }

  private async run(job: Job): Promise<void> {
    const w = this.d.webhooks.get(job.webhookId);
    if (!w || this.timers.stopped || (!job.force && w.status !== 'ENABLED')) return; // deleted or disabled meanwhile: nothing more is sent
    const s = this.d.settings();
    const url = new URL(w.url);
    if (!isAllowedHost(url.hostname, s)) {
      this.record(job, w, 0, false, { status: null, error: 'address not allowed' }, new Date());
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (w.auth_type === 'TOKEN') {
      const token = s.retryUsesCurrentToken ? w.token : job.tokenAtEvent;
      if (token) headers.Authorization = token; // verbatim: Personio adds no "Bearer " prefix
    }
    if (w.auth_type === 'CUSTOM') Object.assign(headers, w.custom_headers);
    const { id: _id, ...envelope } = job.event;
    const body = JSON.stringify(envelope);
    const requests = s.fastAttempt ? 2 : 1;
    for (let n = 1; n <= requests; n++) {
      const started = new Date();
      const r = await this.post(url, body, headers, s.deliveryTimeoutMs);
      const delivered = r.status !== null && r.status >= 200 && r.status < 300;
      this.record(job, w, n, false, r, started);
      if (delivered) {
        if (this.d.roll(this.d.faults().webhookDuplicateRate)) {
          const again = new Date();
          this.record(job, w, n, true, await this.post(url, body, headers, s.deliveryTimeoutMs), again);
        }
        return;
      }
      if (!retryable(r)) return;
    }
    const delay = s.retryDelaysMs[job.attempt - 1];
    if (delay !== undefined) this.later(delay / s.retryTimeScale, () => this.run({ ...job, attempt: job.attempt + 1 }));
  }

  private record(job: Job, w: StoredWebhook, request: number, duplicate: boolean, r: PostResult, started: Date): void {
    this.attempts.push({
      webhook_id: w.id,
      event_id: job.event.id,
      event_name: job.event.event_name,
      url: w.url,
      attempt: job.attempt,
      request,
      duplicate,
      started_at: started.toISOString(),
      completed_at: new Date().toISOString(),
      status_code: r.status,
      is_delivered: r.status !== null && r.status >= 200 && r.status < 300,
      error: r.error,
    });
  }

  private post(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
    return new Promise((resolve) => {
      let settled = false;
      const done = (r: PostResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inflight.delete(req);
        resolve(r);
      };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: false }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        done({ status, error: status >= 300 && status < 400 ? 'redirect not followed' : null });
      });
      const timer = setTimeout(() => {
        done({ status: null, error: 'timeout' });
        req.destroy();
      }, timeoutMs);
      this.inflight.add(req);
      req.on('error', (err) => done({ status: null, error: (err as NodeJS.ErrnoException).code ?? err.message }));
      req.end(body);
    });
  }
}

/** Retried: timeouts, network errors and 5xx except 501; 2xx, 3xx, 4xx and 501 are final. */
function retryable(r: PostResult): boolean {
  if (r.status === null) return true;
  return r.status >= 500 && r.status !== 501;
}
