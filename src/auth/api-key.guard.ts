import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { AuthenticatedRequest, IS_PUBLIC } from './auth.decorators';

/**
 * Global guard: every route needs `Authorization: Bearer <key>` unless marked @Public().
 * Requests under /v1 were already authenticated by the same ApiKeyAuthenticator as
 * middleware, before their body was read; this catches every other route.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    await this.authenticator.authenticate(ctx.switchToHttp().getRequest<AuthenticatedRequest>());
    return true;
  }
}
