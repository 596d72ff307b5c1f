import { createHmac, randomBytes } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/**
 * `whsec_` + 40 base58 characters (≈234 bits). Base58 characters are all valid base64,
 * and 40 is a multiple of 4, so Standard Webhooks libraries (which base64-decode the part
 * after `whsec_` to get the HMAC key) accept the secret unchanged.
 */
export function generateSecret(): string {
  let out = '';
  while (out.length < 40) {
    for (const b of randomBytes(64)) if (b < 232 && out.length < 40) out += BASE58[b % 58];
  }
  return `whsec_${out}`;
}

/** Kombo's scheme: base64url, unpadded, HMAC-SHA256 of the raw body keyed with the secret string. */
export function komboSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64url');
}

/** The Standard Webhooks key: the base64-decoded part after `whsec_`. */
export function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`. */
export function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  return 'v1,' + createHmac('sha256', standardKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
}

/**
 * Headers for one delivery. During a secret rotation's grace period both secrets sign:
 * `webhook-signature` carries two space-separated signatures (as the standard allows).
 * Kombo's header holds exactly one value, so it is computed with the new secret and the
 * old secret's signature goes in X-Kombo-Signature-Previous.
 */
export function signatureHeaders(
  secrets: { current: string; previous?: string | null },
  eventId: string,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  const sigs = [standardSignature(secrets.current, eventId, timestamp, body)];
  if (secrets.previous) sigs.push(standardSignature(secrets.previous, eventId, timestamp, body));
  return {
    'X-Kombo-Signature': komboSignature(secrets.current, body),
    ...(secrets.previous ? { 'X-Kombo-Signature-Previous': komboSignature(secrets.previous, body) } : {}),
    'webhook-id': eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sigs.join(' '),
  };
}
