import { randomBytes } from 'node:crypto';
import { SandboxCredential } from './types';

export const V2_SCOPES = ['personio:persons:read', 'personio:webhooks:read', 'personio:webhooks:write'];
export const ALL_SCOPES = ['employees:read', 'employees:write', 'absences:read', 'attendances:read', 'documents:read', 'documents:write', ...V2_SCOPES];
export const TOKEN_TTL_MS = 86_400_000;

interface TokenInfo {
  clientId: string;
  expiresAt: number;
  singleUse: boolean;
  /** v2 tokens (`POST /v2/auth/token`) carry the scopes granted at issue; v1 tokens carry none. */
  scopes: string[] | null;
}

export type TokenCheck = { ok: true; credential: SandboxCredential; scopes: string[] | null } | { ok: false; reason: 'missing' | 'invalid' };

/** Credentials and the tokens issued for them. */
export class AuthRegistry {
  private readonly credentials = new Map<string, SandboxCredential>();
  private readonly tokens = new Map<string, TokenInfo>();
  private counter = 0;

  add(c: Partial<SandboxCredential> = {}): SandboxCredential {
    this.counter++;
    const credential: SandboxCredential = {
      clientId: c.clientId ?? `papi-sandbox-client-${this.counter}-${randomBytes(4).toString('hex')}`,
      clientSecret: c.clientSecret ?? `papi-${randomBytes(24).toString('base64url')}`,
      attributes: c.attributes ?? 'all',
      scopes: c.scopes ?? [...ALL_SCOPES],
    };
    this.credentials.set(credential.clientId, credential);
    return { ...credential };
  }

  get(clientId: string): SandboxCredential | undefined {
    return this.credentials.get(clientId);
  }

  setWhitelist(clientId: string, attributes: string[] | 'all', scopes?: string[]): void {
    const c = this.credentials.get(clientId);
    if (!c) throw new Error(`unknown clientId ${clientId}`);
    c.attributes = attributes === 'all' ? 'all' : [...attributes];
    if (scopes) c.scopes = [...scopes];
  }

  verifySecret(clientId: string, secret: string): SandboxCredential | null {
    const c = this.credentials.get(clientId);
    return c && c.clientSecret === secret ? c : null;
  }

  issue(clientId: string, now: number, singleUse: boolean, scopes: string[] | null = null): string {
    const token = `papi-${randomBytes(48).toString('base64url')}`;
    this.tokens.set(token, { clientId, expiresAt: now + TOKEN_TTL_MS, singleUse, scopes });
    return token;
  }

  /** Validates `Authorization: Bearer …`; a single-use (legacy) token is spent by this call. */
  check(header: string | undefined, now: number, consume: boolean): TokenCheck {
    if (!header) return { ok: false, reason: 'missing' };
    const token = header.replace(/^Bearer\s+/i, '').trim();
    if (!token) return { ok: false, reason: 'missing' };
    const info = this.tokens.get(token);
    if (!info || info.expiresAt <= now) return { ok: false, reason: 'invalid' };
    const credential = this.credentials.get(info.clientId);
    if (!credential) return { ok: false, reason: 'invalid' };
    if (info.singleUse && consume) this.tokens.delete(token);
    return { ok: true, credential, scopes: info.scopes };
  }

  revoke(token: string): boolean {
    return this.tokens.delete(token);
  }

  revokeAll(): void {
    this.tokens.clear();
  }
}
