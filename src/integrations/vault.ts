import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GatewayConfig } from '../config/config';
import { getLogger } from '../common/logger';

const KEY_FILE = 'encryption.key';

export interface SealedValue {
  v: 1;
  /** Which key sealed it (first 8 hex chars of the key's sha256), for rotation. */
  kid: string;
  iv: string;
  tag: string;
  ct: string;
}

/**
 * AES-256-GCM for credentials at rest: a random 96-bit IV per value, the auth tag
 * checked on open, and a key id so ENCRYPTION_KEY can be rotated (old keys in
 * ENCRYPTION_KEYS_PREVIOUS keep opening old values until they are re-sealed).
 */
export class CredentialVault {
  private readonly current: { kid: string; key: Buffer };
  private readonly byKid = new Map<string, Buffer>();

  constructor(primary: Buffer, previous: Buffer[] = []) {
    this.current = { kid: kidOf(primary), key: primary };
    for (const k of [primary, ...previous]) this.byKid.set(kidOf(k), k);
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const sealed: SealedValue = {
      v: 1,
      kid: this.current.kid,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ct: ct.toString('base64'),
    };
    return JSON.stringify(sealed);
  }

  /** Opens a sealed value; a value no configured key opens throws SecretUnreadableError. */
  open<T>(stored: string): T {
    const kid = sealedKid(stored);
    const key = kid === null ? undefined : this.byKid.get(kid);
    if (!key) throw new SecretUnreadableError(kid, 'missing-key');
    try {
      const sealed = JSON.parse(stored) as SealedValue;
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const pt = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
      return JSON.parse(pt.toString('utf8')) as T;
    } catch {
      throw new SecretUnreadableError(kid, 'damaged');
    }
  }

  /** Whether a key with this id is configured (current or previous). */
  hasKey(kid: string): boolean {
    return this.byKid.has(kid);
  }

  get currentKid(): string {
    return this.current.kid;
  }

  /**
   * A key for another purpose (e.g. signing page cursors), derived from the current
   * encryption key with HKDF, so every replica with the same ENCRYPTION_KEY agrees on it
   * and no second secret has to be configured.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.current.key, Buffer.alloc(0), `hris-gateway:${purpose}`, 32));
  }

  /** True when the value was sealed with an older key and should be re-sealed. */
  isStale(stored: string): boolean {
    return (JSON.parse(stored) as SealedValue).kid !== this.current.kid;
  }
}

/** The key id a stored value was sealed with; null when it is not a sealed value at all. */
export function sealedKid(stored: string): string | null {
  try {
    const kid = (JSON.parse(stored) as Partial<SealedValue>).kid;
    return typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

/**
 * A stored secret that no configured key opens. The message names the variables to fix
 * and the key id (a hash prefix, not the key), never the value.
 */
export class SecretUnreadableError extends Error {
  constructor(
    public readonly kid: string | null,
    public readonly why: 'missing-key' | 'damaged',
  ) {
    super(
      why === 'missing-key'
        ? `it was encrypted with key id ${kid ?? '(none)'}, which neither ENCRYPTION_KEY nor ENCRYPTION_KEYS_PREVIOUS provides`
        : `it does not decrypt with the configured key ${kid} (the stored value is damaged, or ENCRYPTION_KEY changed to a different key with the same id)`,
    );
  }
}

/**
 * The status reason of an integration whose credentials no configured key opens
 * (dashboard, API, /health count them by this prefix).
 */
export const CREDENTIALS_UNREADABLE_REASON = 'The stored credentials cannot be decrypted';

export function credentialsUnreadableReason(e: SecretUnreadableError): string {
  return `${CREDENTIALS_UNREADABLE_REASON}: ${e.message}. Restore that key (ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS) and sync again, or relink the integration.`;
}

function kidOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function parseKey(raw: string): Buffer {
  return /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
}

/**
 * The vault for this process: ENCRYPTION_KEY when set; otherwise a key generated
 * once and kept (mode 0600) under the data directory, which is what the embedded
 * quick start uses. Production with DATABASE_URL refuses to start without a key (config).
 */
export function createVault(config: GatewayConfig): CredentialVault {
  const previous = config.encryptionKeysPrevious.map(parseKey);
  if (config.encryptionKey) return new CredentialVault(parseKey(config.encryptionKey), previous);
  const file = path.join(config.dataDir, KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    getLogger('vault').warn({ file }, 'ENCRYPTION_KEY is not set: generated a key under the data directory. Set ENCRYPTION_KEY in production.');
  }
  return new CredentialVault(parseKey(fs.readFileSync(file, 'utf8').trim()), previous);
}

export const CREDENTIAL_VAULT = Symbol('CREDENTIAL_VAULT');
