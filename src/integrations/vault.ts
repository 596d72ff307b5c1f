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
    const sealed: SealedValue = { v: 1, kid: this.current.kid, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
    return JSON.stringify(sealed);
  }

  open<T>(stored: string): T {
    const sealed = JSON.parse(stored) as SealedValue;
    const key = this.byKid.get(sealed.kid);
    if (!key) throw new Error(`No encryption key with id ${sealed.kid} is configured (was ENCRYPTION_KEY rotated without ENCRYPTION_KEYS_PREVIOUS?)`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const pt = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
    return JSON.parse(pt.toString('utf8')) as T;
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
export function createVault(config: GatewayConfig, env: Record<string, string | undefined> = process.env): CredentialVault {
  const previous = (env.ENCRYPTION_KEYS_PREVIOUS ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(parseKey);
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
