import { Inject, Injectable } from '@nestjs/common';
import { AttemptWindows, clientKey, secondsUntil } from '../common/attempt-windows';
import { GatewayError } from '../common/errors';
import { getLogger } from '../common/logger';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { ApiKeysService } from './api-keys.service';
import { AuthenticatedRequest } from './auth.decorators';

const KEY_WINDOW_MS = 60_000;
/** The window of the failed-authentication budget (API_AUTH_FAILURES_PER_MINUTE), per client address, across replicas. */
export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Addresses remembered as over budget; beyond this the expired ones are dropped first. */
const MAX_TRACKED = 10_000;

/**
 * The one owner of API-key authentication. It runs as middleware before any body is
 * read (bootstrap) and again as the global guard's check (a no-op once the request
 * carries its key), so an unauthenticated client never makes the gateway read a
 * large body. 401s are counted per client address in AttemptWindows, shared by the
 * replicas; once an address has spent its budget, this process remembers until when,
 * and refuses its requests with 429 before any database work.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly log = getLogger('auth');
  private readonly perKey = new Map<string, { start: number; count: number }>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeysService,
    private readonly attempts: AttemptWindows,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Sets environmentId and apiKeyId on the request, or throws 401 / 429. */
  async authenticate(req: AuthenticatedRequest): Promise<void> {
    if (req.apiKeyId) return;
    // The client address (trust proxy, X-Forwarded-For) is worked out only when an address is blocked or a request fails.
    if (this.blockedUntil.size > 0) {
      const address = clientKey(req.ip);
      const until = this.blockedUntil.get(address);
      if (until !== undefined) {
        if (until > Date.now()) throw tooManyFailures(new Date(until));
        this.blockedUntil.delete(address);
      }
    }
    const header = req.headers.authorization;
    if (!header) return this.fail(req, 'Missing Authorization header. Send "Authorization: Bearer <API key>".');
    const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
    if (!match) return this.fail(req, 'Malformed Authorization header. Send "Authorization: Bearer <API key>".');
    const auth = await this.keys.authenticate(match[1]);
    if (!auth) return this.fail(req, 'The API key is invalid or has been revoked.');
    this.charge(auth.keyId);
    req.environmentId = auth.environmentId;
    req.apiKeyId = auth.keyId;
  }

  private async fail(req: AuthenticatedRequest, message: string): Promise<never> {
    const address = clientKey(req.ip);
    const window = await this.attempts.hit(`api-auth:${address}`, AUTH_FAILURE_WINDOW_MS);
    const budget = this.config.authFailuresPerMinute;
    if (window.count > budget) {
      if (this.blockedUntil.size >= MAX_TRACKED) this.forgetExpired();
      this.blockedUntil.set(address, window.resetAt.getTime());
      if (window.count === budget + 1) this.log.warn({ client: address, until: window.resetAt.toISOString() }, 'too many failed API authentications');
      throw tooManyFailures(window.resetAt);
    }
    throw new GatewayError('PLATFORM.AUTHENTICATION_INVALID', message);
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [k, t] of this.blockedUntil) if (t <= now) this.blockedUntil.delete(k);
    if (this.blockedUntil.size >= MAX_TRACKED) this.blockedUntil.clear();
  }

  /** The per-key request budget per minute (per process). */
  private charge(keyId: string): void {
    const limit = this.config.rateLimitPerMinute;
    if (limit <= 0) return;
    const now = Date.now();
    let w = this.perKey.get(keyId);
    if (!w || now - w.start >= KEY_WINDOW_MS) {
      w = { start: now, count: 0 };
      this.perKey.set(keyId, w);
    }
    if (++w.count > limit) {
      const retry = Math.ceil((w.start + KEY_WINDOW_MS - now) / 1000);
      throw new GatewayError('PLATFORM.RATE_LIMIT_EXCEEDED', `More than ${limit} requests per minute with this API key. Retry in ${retry} s.`, {
        headers: { 'Retry-After': String(retry) },
      });
    }
  }
}

function tooManyFailures(until: Date): GatewayError {
  const retry = secondsUntil(until);
  return new GatewayError('PLATFORM.RATE_LIMIT_EXCEEDED', `Too many failed authentications from this address. Retry in ${retry} s.`, {
    headers: { 'Retry-After': String(retry) },
  });
}
