import { AxiosError, AxiosInstance } from 'axios';
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

/**
 * Sends one webhook. Redirects are not followed (a 3xx is a failure, not a retry). Every
 * send goes through the outbound guard: the URL (scheme, IP literal) is checked before the
 * request and every resolved address at connection time, so an endpoint that became
 * unsafe after registration is refused at send time. Never throws.
 */
export class WebhookSender {
  private readonly http: AxiosInstance;

  /** `guard` overrides parts of the URL policy (tests: which addresses count as public). */
  constructor(opts: { allowPrivate: boolean; timeoutMs: number; guard?: Partial<UrlPolicy> }) {
    this.http = new OutboundGuard({ ...webhookUrlPolicy(opts.allowPrivate), ...opts.guard }).axios({
      timeout: opts.timeoutMs,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (x) => x,
      maxContentLength: 64 * 1024,
      maxBodyLength: 16 * 1024 * 1024,
    });
  }

  async send(w: OutgoingWebhook): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const res = await this.http.post(w.url, w.body, {
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'hris-gateway-webhooks/1', ...signatureHeaders(w.secrets, w.eventId, w.body) },
      });
      const s = res.status;
      if (s >= 200 && s < 300) return { statusCode: s, latencyMs: elapsed(), error: null, retryable: false };
      const retryable = s === 408 || s === 429 || s >= 500;
      const why = s >= 300 && s < 400 ? `redirect (HTTP ${s}) not followed` : `HTTP ${s}`;
      return { statusCode: s, latencyMs: elapsed(), error: why, retryable };
    } catch (e) {
      if (e instanceof UnsafeTargetError) return { statusCode: null, latencyMs: elapsed(), error: `refused: ${e.message}`, retryable: false };
      return { statusCode: null, latencyMs: elapsed(), ...describeError(e) };
    }
  }
}

function describeError(e: unknown): { error: string; retryable: boolean } {
  const err = e as AxiosError & { cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  if (code === UNSAFE_TARGET) return { error: 'refused: the URL resolves to a private or reserved address', retryable: false };
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') return { error: 'timeout', retryable: true };
  if (code === 'ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED' || code === 'ERR_BAD_RESPONSE') return { error: 'response too large', retryable: true };
  return { error: `connection error${code ? ` (${code})` : ''}`, retryable: true };
}
