import * as http from 'node:http';
import * as https from 'node:https';
import { OutboundGuard, UNSAFE_TARGET, UnsafeTargetError, type UrlPolicy } from '../common/ssrf';
import { SendResult } from './retry';
import { signatureHeaders } from './signing';

export interface OutgoingWebhook {
  url: string;
  eventId: string;
  body: string;
  secrets: { current: string; previous?: string | null };
}

/** Webhook URLs: https only; plain http only together with private targets (local development receivers). */
export function webhookUrlPolicy(allowPrivate: boolean): UrlPolicy {
  return { allowPrivate, protocols: allowPrivate ? ['https:', 'http:'] : ['https:'] };
}

/** A receiver's answer is not read beyond this; a longer one fails the attempt (retried). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Sends one webhook. Redirects are not followed (a 3xx is a failure, not a retry). Every
 * send goes through the outbound guard: the URL (scheme, IP literal) is checked before the
 * request and every resolved address at connection time (the agents' lookup), so an
 * endpoint that became unsafe after registration is refused at send time. Never throws.
 *
 * Plain node:http(s) on keep-alive agents (one socket per request in flight, reused per
 * endpoint): at thousands of deliveries a second a general HTTP client's per-request
 * config merging and transforms cost more CPU than the request itself. The timeout is a
 * deadline for the whole exchange, so a receiver that trickles its answer cannot hold a slot.
 */
export class WebhookSender {
  private readonly guard: OutboundGuard;
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly timeoutMs: number;

  /** `guard` overrides parts of the URL policy (tests: which addresses count as public). */
  constructor(opts: { allowPrivate: boolean; timeoutMs: number; guard?: Partial<UrlPolicy> }) {
    this.guard = new OutboundGuard({ ...webhookUrlPolicy(opts.allowPrivate), ...opts.guard });
    this.agents = {
      http: new http.Agent({ lookup: this.guard.lookup, keepAlive: true }),
      https: new https.Agent({ lookup: this.guard.lookup, keepAlive: true }),
    };
    this.timeoutMs = opts.timeoutMs;
  }

  async send(w: OutgoingWebhook): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = this.guard.checkUrl(w.url);
    } catch (e) {
      if (e instanceof UnsafeTargetError) return { statusCode: null, latencyMs: elapsed(), error: `refused: ${e.message}`, retryable: false };
      throw e;
    }
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(w.body)),
      'User-Agent': 'hris-gateway-webhooks/1',
      ...signatureHeaders(w.secrets, w.eventId, w.body),
    };
    const outcome = await this.post(url, headers, w.body, started + this.timeoutMs);
    if ('status' in outcome) {
      const s = outcome.status;
      if (s >= 200 && s < 300) return { statusCode: s, latencyMs: elapsed(), error: null, retryable: false };
      const retryable = s === 408 || s === 429 || s >= 500;
      const why = s >= 300 && s < 400 ? `redirect (HTTP ${s}) not followed` : `HTTP ${s}`;
      return { statusCode: s, latencyMs: elapsed(), error: why, retryable };
    }
    return { statusCode: null, latencyMs: elapsed(), ...outcome };
  }

  /** One POST: the status once the answer has been read, or why it failed. */
  private post(url: URL, headers: Record<string, string>, body: string, deadline: number): Promise<{ status: number } | { error: string; retryable: boolean }> {
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      let settled = false;
      const done = (v: { status: number } | { error: string; retryable: boolean }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(v);
      };
      const req = lib.request(url, { method: 'POST', headers, agent: url.protocol === 'https:' ? this.agents.https : this.agents.http }, (res) => {
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            done({ error: 'response too large', retryable: true });
            req.destroy();
          }
        });
        res.on('end', () => done({ status: res.statusCode ?? 0 }));
        res.on('error', (e) => done(describeError(e)));
        res.on('close', () => done({ error: 'connection error (closed before the answer ended)', retryable: true }));
      });
      const timer = setTimeout(
        () => {
          done({ error: 'timeout', retryable: true });
          req.destroy();
        },
        Math.max(0, deadline - performance.now()),
      );
      req.on('error', (e) => done(describeError(e)));
      req.end(body);
    });
  }
}

function describeError(e: unknown): { error: string; retryable: boolean } {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === UNSAFE_TARGET) return { error: 'refused: the URL resolves to a private or reserved address', retryable: false };
  if (code === 'ETIMEDOUT') return { error: 'timeout', retryable: true };
  return { error: `connection error${code ? ` (${code})` : ''}`, retryable: true };
}
