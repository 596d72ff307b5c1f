import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessCache } from '../auth/access-cache';
import { AuthenticatedRequest } from '../auth/auth.decorators';
import { inputInvalid } from '../common/errors';
import { API_OPERATION, OperationSpec } from '../openapi/operation.decorator';
import { IntegrationEntity } from './integration.entity';
import { IntegrationsService } from './integrations.service';

export interface IntegrationScopedRequest extends AuthenticatedRequest {
  integration?: IntegrationEntity;
}

/** Path parameter names that always mean "an integration of the caller's environment". */
export const INTEGRATION_PATH_PARAMS = ['integration_id'];

/**
 * Global guard, after the API key guard: any route with an `:integration_id` path
 * parameter, or documented as taking X-Integration-Id, gets the integration loaded
 * from the caller's environment, or a 404. New routes inherit this by their shape,
 * so none can forget the environment check.
 */
@Injectable()
export class IntegrationScopeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly integrations: IntegrationsService,
    private readonly cache: AccessCache,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<IntegrationScopedRequest>();
    if (!req.environmentId) return true; // public route
    const spec = this.reflector.get<OperationSpec | undefined>(API_OPERATION, ctx.getHandler());
    const fromPath = INTEGRATION_PATH_PARAMS.map((p) => req.params?.[p]).find((v) => typeof v === 'string');
    let id: string | undefined = fromPath;
    if (!id && spec?.integrationHeader) {
      const header = req.headers['x-integration-id'];
      id = Array.isArray(header) ? header[0] : header;
      if (!id) throw inputInvalid('The X-Integration-Id header is required for this endpoint.');
    }
    if (!id) return true;
    req.integration =
      req.method === 'GET' || req.method === 'HEAD' ? await this.cached(req.environmentId, id) : await this.integrations.find(req.environmentId, id);
    return true;
  }

  /**
   * Reads take the integration from the AccessCache (cleared on any change to an integration,
   * in every process): a copy, so nothing a handler sets leaks into the next request. Writes
   * always load it afresh.
   */
  private async cached(environmentId: string, id: string): Promise<IntegrationEntity> {
    const found = await this.cache.integrations.getOrLoad(`${environmentId}/${id}`, () => this.integrations.find(environmentId, id));
    return Object.assign(new IntegrationEntity(), found);
  }
}

/** The integration resolved by IntegrationScopeGuard. */
export const CurrentIntegration = createParamDecorator((_: unknown, ctx: ExecutionContext): IntegrationEntity => {
  const integration = ctx.switchToHttp().getRequest<IntegrationScopedRequest>().integration;
  if (!integration) throw new Error('CurrentIntegration used on a route that is not integration-scoped');
  return integration;
});
