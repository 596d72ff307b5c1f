import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GatewayError } from '../common/errors';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { ApiKeysService } from './api-keys.service';
import { AuthenticatedRequest, IS_PUBLIC } from './auth.decorators';

const WINDOW_MS = 60_000;

/**
 * Global guard: every route needs `Authorization: Bearer <key>` unless marked @Public().
 * Also applies a per-key request budget per minute (per process).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization;
    if (!header) throw authInvalid('Missing Authorization header. Send "Authorization: Bearer <API key>".');
    const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
    if (!match) throw authInvalid('Malformed Authorization header. Send "Authorization: Bearer <API key>".');
    const auth = await this.keys.authenticate(match[1]);
    if (!auth) throw authInvalid('The API key is invalid or has been revoked.');
    this.charge(auth.keyId);
    req.environmentId = auth.environmentId;
    req.apiKeyId = auth.keyId;
    return true;
  }

  private charge(keyId: string): void {
    const limit = this.config.rateLimitPerMinute;
    if (limit <= 0) return;
    const now = Date.now();
    let w = this.windows.get(keyId);
    if (!w || now - w.start >= WINDOW_MS) {
      w = { start: now, count: 0 };
      this.windows.set(keyId, w);
    }
    if (++w.count > limit) {
      const retry = Math.ceil((w.start + WINDOW_MS - now) / 1000);
      throw new GatewayError('PLATFORM.RATE_LIMIT_EXCEEDED', `More than ${limit} requests per minute with this API key. Retry in ${retry} s.`, {
        headers: { 'Retry-After': String(retry) },
      });
    }
  }
}

function authInvalid(message: string): GatewayError {
  return new GatewayError('PLATFORM.AUTHENTICATION_INVALID', message);
}
