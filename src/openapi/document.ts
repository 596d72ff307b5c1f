import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { FEATURE_MODULES } from '../app.modules';
import { PACKAGE_VERSION } from '../common/paths';
import { buildOpenApiDocument } from './openapi.builder';

export function gatewayOpenApiDocument(): OpenAPIObject {
  return buildOpenApiDocument(FEATURE_MODULES, PACKAGE_VERSION);
}
