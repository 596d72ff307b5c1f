import { DynamicModule, Module } from '@nestjs/common';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { OPENAPI_DOCUMENT, OpenApiController } from './openapi.controller';

@Module({})
export class OpenApiModule {
  static forDocument(document: OpenAPIObject): DynamicModule {
    return { module: OpenApiModule, controllers: [OpenApiController], providers: [{ provide: OPENAPI_DOCUMENT, useValue: document }] };
  }
}
