import { SetMetadata } from '@nestjs/common';
import type { ReferenceObject, SchemaObject } from 'openapi3-ts/oas31';
import type { ErrorFamily } from '../common/error-families';
import type { ErrorCode } from '../common/errors';

export const API_OPERATION = 'gateway:openapi-operation';

export interface PathParamSpec {
  description: string;
  schema?: SchemaObject;
}

/**
 * The OpenAPI description of one route, kept on the handler itself so the document
 * is generated from the same definitions the controllers run with.
 */
export interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** class-validator DTO whose properties are the query parameters. */
  query?: new () => object;
  /** class-validator DTO of the JSON body. */
  body?: new () => object;
  /** Body schema given directly (when no DTO describes it, e.g. multipart). */
  bodySchema?: SchemaObject | ReferenceObject;
  params?: Record<string, PathParamSpec>;
  /** Schema of `data` inside the success envelope. */
  response?: SchemaObject | ReferenceObject;
  /** A response not wrapped in the envelope (health, documents, pages). */
  rawResponse?: { contentType: string; schema?: SchemaObject | ReferenceObject; description: string };
  /** HTTP status of the success response (default 200). */
  successStatus?: number;
  /** Codes this route can answer with besides the generic ones. */
  errors?: ErrorCode[];
  /** Scoped to one integration via the X-Integration-Id header. */
  integrationHeader?: boolean;
  /** Request headers besides X-Integration-Id. */
  headers?: Record<string, { description: string; required?: boolean }>;
  /** Not in Kombo's API: our extension (documented in docs/). */
  extension?: boolean;
  /**
   * The error family when the path alone does not say it: an extension that acts like a Kombo
   * HRIS write (and may be called from code written for Kombo's) keeps to the HRIS codes.
   */
  errorFamily?: ErrorFamily;
  deprecated?: boolean;
  /**
   * Kombo's route for a model or action this gateway does not offer: it only answers
   * INTEGRATION.MODEL_NOT_AVAILABLE / ACTION_NOT_AVAILABLE, so it is left out of the
   * document (docs/kombo-compatibility.md lists it).
   */
  notServed?: boolean;
  /** No API key needed. */
  public?: boolean;
}

export const ApiOperation = (spec: OperationSpec) => SetMetadata(API_OPERATION, spec);
