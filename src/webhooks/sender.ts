import axios, { AxiosError, AxiosInstance } from 'axios';
import { safeAgents } from '../common/ssrf';
import { SendResult } from './retry';
import { signatureHeaders } from './signing';

export interface OutgoingWebhook {
  url: string;
  eventId: string;
  body: string;
  secrets: { current: string; previous?: string | null };
}

/**
 * Sends one webhook. Redirects are not followed (a 3xx is a failure, not a retry); every
 * connection goes through the SSRF-checking lookup, so a host that starts resolving to a
 * private address after registration is refused at send time. Never throws.
 */
export class WebhookSender {
  private readonly http: AxiosInstance;

  constructor(opts: { allowPrivate: boolean; timeoutMs: number }) {
    const agents = safeAgents(opts.allowPrivate);
    this.http = axios.create({
      ...agents,
      timeout: opts.timeoutMs,
      maxRedirects: 0,
      proxy: false,
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
      return { statusCode: null, latencyMs: elapsed(), ...describeError(e) };
    }
  }
}

function describeError(e: unknown): { error: string; retryable: boolean } {
  const err = e as AxiosError & { cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  if (code === 'EUNSAFETARGET') return { error: 'refused: the URL resolves to a private or reserved address', retryable: false };
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') return { error: 'timeout', retryable: true };
  if (code === 'ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED' || code === 'ERR_BAD_RESPONSE') return { error: 'response too large', retryable: true };
  return { error: `connection error${code ? ` (${code})` : ''}`, retryable: true };
}
