import { setField } from '../../connectors/values';

/**
 * Secret scrubbing shared by the logger and the error filter. Structured fields
 * are redacted by key; free text is scrubbed by the shapes our secrets take.
 */
export const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'secret',
  'client_secret',
  'clientSecret',
  'token',
  'access_token',
  'accessToken',
  'api_key',
  'apiKey',
  'key',
  'webhook_secret',
  'webhookSecret',
  'credentials',
  'encryption_key',
  'encryptionKey',
  'activation_token',
  'activationToken',
];

const SECRET_KEY_SET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));

// Gateway API keys, webhook secrets, connect/activation tokens, Personio tokens, bearer headers.
const SECRET_PATTERNS: RegExp[] = [
  /\b(hgw|whsec|hgct|hgat)_[A-Za-z0-9]{16,}\b/g,
  /\bpapi-[A-Za-z0-9._-]{8,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /(client_secret|clientSecret|password|token)(["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
];

export function scrubText(text: string): string {
  let out = text;
  for (const re of SECRET_PATTERNS) {
    out = out.replace(re, (match, a: string, b: string) => {
      if (re === SECRET_PATTERNS[3]) return `${a}${b}[REDACTED]`;
      if (re === SECRET_PATTERNS[2]) return `${a} [REDACTED]`;
      return `${match.slice(0, match.indexOf('_') + 1 || 5)}[REDACTED]`;
    });
  }
  return out;
}

/** Deep copy with secret-named keys replaced and secret-shaped strings scrubbed. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[Truncated]';
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: scrubText(value.message), stack: value.stack ? scrubText(value.stack) : undefined };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Logged values carry upstream payloads: their keys are an HRIS's, "__proto__" included.
      setField(out, k, SECRET_KEY_SET.has(k.toLowerCase()) && v != null ? '[REDACTED]' : redactDeep(v, depth + 1));
    }
    return out;
  }
  return value;
}
