import { createHash, hash, randomBytes } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const ID_LENGTH = 24;

/** A random 24-character base58 id, like Kombo's. */
export function randomId(length = ID_LENGTH): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      // 232 = 4 * 58: rejecting the top bytes keeps every character equally likely.
      if (b < 232 && out.length < length) out += ALPHABET[b % 58];
    }
  }
  return out;
}

/**
 * The stable id of a synced record: the same (integration, model, remote id) always
 * gives the same id, so a rebuilt database hands out the ids the LMS already stored.
 */
export function stableId(integrationId: string, model: string, remoteId: string): string {
  // Two digest bytes per character: 65536 mod 58 leaves a bias far below anything that
  // matters for ids, and it avoids BigInt arithmetic on the sync's hot path. One-shot `hash`:
  // a Hash object per id cost more than the digest itself (2.7 µs against 1.1 µs an id).
  const digest = hash('sha512', `${integrationId}\u0000${model}\u0000${remoteId}`, 'buffer');
  let out = '';
  for (let i = 0; i < ID_LENGTH; i++) out += ALPHABET[digest.readUInt16BE(i * 2) % 58];
  return out;
}

export function isGatewayId(value: string): boolean {
  return value.length === ID_LENGTH && [...value].every((c) => ALPHABET.includes(c));
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}
