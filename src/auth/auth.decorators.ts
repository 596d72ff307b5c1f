import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export const IS_PUBLIC = 'gateway:public';
/** Marks a route that needs no API key (health, OpenAPI document, docs, hosted pages). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface AuthenticatedRequest extends Request {
  environmentId: string;
  apiKeyId: string;
}

/** The environment of the API key that made the request. */
export const EnvironmentId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().environmentId;
});
