import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomId, sha256Hex } from '../common/ids';

/**
 * Link and activation tokens: 44 base58 characters (~257 bits) behind a prefix the
 * log scrubber recognises (src/common/redact.ts), so a token that reaches a log line
 * by way of a URL is redacted. Only sha256(token) is stored.
 */
export const LINK_TOKEN_PREFIX = 'hgct_';
export const ACTIVATION_TOKEN_PREFIX = 'hgat_';
const TOKEN_BODY = 44;

export const newLinkToken = (): string => `${LINK_TOKEN_PREFIX}${randomId(TOKEN_BODY)}`;
export const newActivationToken = (): string => `${ACTIVATION_TOKEN_PREFIX}${randomId(TOKEN_BODY)}`;
export const hashToken = (token: string): string => sha256Hex(token);

/** Shape check before any database work: anything else is simply unknown. */
export function isTokenShaped(token: string, prefix: string): boolean {
  return token.length === prefix.length + TOKEN_BODY && token.startsWith(prefix) && /^[1-9A-HJ-NP-Za-km-z]+$/.test(token.slice(prefix.length));
}

/** A per-link random key for the CSRF tokens of its forms. */
export const newCsrfKey = (): string => randomBytes(32).toString('hex');

/**
 * CSRF token of one rendered form: a fresh nonce and HMAC(link key, link id + nonce).
 * No cookie is involved, so it works inside a third-party iframe where browsers
 * block cookies; a forged cross-site POST cannot know the link's key.
 */
export function csrfToken(key: string, linkId: string): string {
  const nonce = randomBytes(16).toString('hex');
  return `${nonce}.${csrfMac(key, linkId, nonce)}`;
}

export function verifyCsrf(key: string, linkId: string, token: unknown): boolean {
  if (typeof token !== 'string') return false;
  const [nonce, mac] = token.split('.');
  if (!nonce || !mac || !/^[0-9a-f]{32}$/.test(nonce) || !/^[0-9a-f]{64}$/.test(mac)) return false;
  return timingSafeEqual(Buffer.from(mac, 'hex'), Buffer.from(csrfMac(key, linkId, nonce), 'hex'));
}

function csrfMac(key: string, linkId: string, nonce: string): string {
  return createHmac('sha256', Buffer.from(key, 'hex')).update(`${linkId}:${nonce}`).digest('hex');
}
