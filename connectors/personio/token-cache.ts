// Process-wide cache of Personio bearer tokens. A v1 token is valid for 24 h
// and may be used in parallel, and /v1/auth allows only 60 calls a minute
// (then a 60 s lock-out), so every client of one credential shares one token
// and concurrent callers share one in-flight auth request.
import { createHash } from 'node:crypto';

export interface CachedToken {
  token: string;
  /** Epoch ms after which the token is no longer used (expiry minus a safety margin). */
  usableUntil: number;
  /** Scope string returned by /v1/auth, when Personio sends one. */
  scope: string | null;
}

const tokens = new Map<string, CachedToken>();
const inFlight = new Map<string, Promise<CachedToken>>();

/**
 * The secret is part of the key (hashed, never stored): a client built with
 * the right client id but a wrong secret must not be handed a valid token.
 */
export function credentialKey(origin: string, clientId: string, clientSecret: string): string {
  return createHash('sha256').update(`${origin}\n${clientId}\n${clientSecret}`).digest('hex');
}

export function getToken(key: string, nowMs: number): CachedToken | null {
  const t = tokens.get(key);
  if (!t) return null;
  if (t.usableUntil <= nowMs) {
    tokens.delete(key);
    return null;
  }
  return t;
}

/** Runs `fetch` unless an auth for this credential is already under way, then caches its result. */
export function singleFlightAuth(key: string, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
  const running = inFlight.get(key);
  if (running) return running;
  const p = fetch()
    .then((t) => {
      tokens.set(key, t);
      return t;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

/** Forget a token Personio refused, unless another caller already replaced it. */
export function invalidateToken(key: string, token: string): void {
  if (tokens.get(key)?.token === token) tokens.delete(key);
}

/** Legacy rotation: Personio may answer with a new token in the `Authorization` header. */
export function rotateToken(key: string, used: string, next: string): void {
  const t = tokens.get(key);
  if (t && t.token === used && next !== used) tokens.set(key, { ...t, token: next });
}

/** Test helper. */
export function clearTokenCache(): void {
  tokens.clear();
  inFlight.clear();
}
