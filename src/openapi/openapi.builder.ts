import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { OpenApiBuilder, OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, SchemaObject } from 'openapi3-ts/oas31';
import { codeInFamily, errorFamilyOf, RouteErrorFamilies } from '../common/error-families';
import { ERROR_CODES, ErrorCode } from '../common/errors';
import { API_OPERATION, OperationSpec } from './operation.decorator';

type Ctor = new (...args: never[]) => unknown;

export interface RouteInfo {
  method: string;
  /** Express-style path, e.g. /v1/integrations/:integration_id */
  path: string;
  controller: Ctor;
  handler: string;
  spec: OperationSpec | undefined;
  /** The status Nest answers on success: @HttpCode's, else 201 for POST and 200 for the rest. */
  successStatus: number;
}

const GENERIC_ERRORS: ErrorCode[] = ['PLATFORM.UNKNOWN_ERROR', 'PLATFORM.INPUT_INVALID', 'PLATFORM.RATE_LIMIT_EXCEEDED'];

/** Every controller reachable from the given modules (walking static imports). */
export function collectControllers(modules: unknown[]): Ctor[] {
  const seen = new Set<unknown>();
  const controllers: Ctor[] = [];
  const visit = (m: unknown) => {
    if (!m || seen.has(m)) return;
    seen.add(m);
    const dyn = m as { module?: unknown; controllers?: Ctor[]; imports?: unknown[] };
    const target = typeof m === 'function' ? m : dyn.module;
    const own: Ctor[] = [...((target && Reflect.getMetadata('controllers', target as object)) ?? []), ...(dyn.controllers ?? [])];
    for (const c of own) if (!controllers.includes(c)) controllers.push(c);
    for (const i of [...((target && Reflect.getMetadata('imports', target as object)) ?? []), ...(dyn.imports ?? [])]) visit(i);
  };
  modules.forEach(visit);
  return controllers;
}

/** The route table: every handler of every controller, with its OpenAPI spec. */
export function collectRoutes(modules: unknown[]): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const controller of collectControllers(modules)) {
    const base = normalise(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const proto = controller.prototype as Record<string, unknown>;
    for (const handler of Object.getOwnPropertyNames(proto)) {
      if (handler === 'constructor' || typeof proto[handler] !== 'function') continue;
      const fn = proto[handler] as object;
      const sub = Reflect.getMetadata(PATH_METADATA, fn);
      if (sub === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod];
      const successStatus: number = Reflect.getMetadata(HTTP_CODE_METADATA, fn) ?? (method === 'POST' ? 201 : 200);
      for (const p of Array.isArray(sub) ? sub : [sub]) {
        routes.push({ method, path: joinPath(base, normalise(p)), controller, handler, spec: Reflect.getMetadata(API_OPERATION, fn), successStatus });
      }
    }
  }
  return routes;
}

/** The error family of every route, for the exception filter (the same table the document is built from). */
export function routeErrorFamilies(modules: unknown[]): RouteErrorFamilies {
  return new RouteErrorFamilies(
    collectRoutes(modules).map((r) => ({ method: r.method, path: r.path, extension: r.spec?.extension, family: r.spec?.errorFamily })),
  );
}

function normalise(p: string): string {
  return p.replace(/^\/+|\/+$/g, '');
}
function joinPath(a: string, b: string): string {
  return '/' + [a, b].filter(Boolean).join('/');
}

export function buildOpenApiDocument(modules: unknown[], version: string): OpenAPIObject {
  const dtoSchemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) as Record<string, SchemaObject>;
  const builder = OpenApiBuilder.create({
    openapi: '3.1.0',
    info: {
      title: 'HRIS Gateway API',
      version,
      description:
        'Self-hosted, Kombo-compatible unified HRIS API. Paths, envelopes, error codes and webhooks follow ' +
        "Kombo's public API; operations marked `x-gateway-extension` are our additions.",
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/v1', description: 'This gateway' }],
    paths: {},
    components: { securitySchemes: { ApiKey: { type: 'http', scheme: 'bearer', description: 'An API key of one environment.' } } },
    security: [{ ApiKey: [] }],
  });
  builder.addResponse('ErrorResponse', errorResponse(Object.keys(ERROR_CODES) as ErrorCode[]));
  const usedDtos = new Set<string>();

  const routes = collectRoutes(modules)
    .filter((r) => r.spec && !r.spec.notServed && r.path.startsWith('/v1/'))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const r of routes) {
    const spec = r.spec!;
    const oasPath = r.path.slice('/v1'.length).replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: NonNullable<OperationObject['responses']> = {};
    const op: OperationObject = {
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: spec.tags,
      parameters: [],
      responses,
      ...(spec.deprecated ? { deprecated: true } : {}),
      ...(spec.public ? { security: [] } : {}),
    };
    if (spec.extension) op['x-gateway-extension'] = true;
    for (const name of [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1])) {
      const p = spec.params?.[name];
      op.parameters!.push({ name, in: 'path', required: true, description: p?.description ?? name, schema: p?.schema ?? { type: 'string' } });
    }
    if (spec.integrationHeader) {
      op.parameters!.push({
        name: 'X-Integration-Id',
        in: 'header',
        required: true,
        description: 'ID of the integration you want to interact with.',
        schema: { type: 'string' },
      });
    }
    for (const [name, h] of Object.entries(spec.headers ?? {})) {
      op.parameters!.push({ name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } });
    }
    if (spec.query) op.parameters!.push(...queryParameters(dtoSchemas[spec.query.name], spec.query.name));
    if (spec.body) {
      usedDtos.add(spec.body.name);
      op.requestBody = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${spec.body.name}` } } } };
    } else if (spec.bodySchema) {
      op.requestBody = { required: true, content: { 'application/json': { schema: spec.bodySchema } } };
    }
    const status = String(spec.successStatus ?? r.successStatus);
    if (spec.rawResponse) {
      responses[status] = { description: spec.rawResponse.description, content: { [spec.rawResponse.contentType]: { schema: spec.rawResponse.schema ?? {} } } };
    } else {
      const name = `${spec.operationId.charAt(0).toUpperCase()}${spec.operationId.slice(1)}PositiveResponse`;
      builder.addSchema(name, {
        type: 'object',
        properties: {
          status: { type: 'string', const: 'success' },
          data: spec.response ?? { type: 'object' },
          warnings: { type: 'array', items: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } },
        },
        required: ['status', 'data'],
      });
      responses[status] = {
        description: `${r.method} ${oasPath} positive response`,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
      };
    }
    // The codes as sent: narrowed to the route's family, like the exception filter does.
    const family = spec.errorFamily ?? errorFamilyOf(r.path, spec.extension ?? false);
    const thrown = [...(spec.public ? [] : ['PLATFORM.AUTHENTICATION_INVALID' as ErrorCode]), ...GENERIC_ERRORS, ...(spec.errors ?? [])];
    const codes = [...new Set(thrown.map((c) => codeInFamily(family, c)))];
    responses.default = { ...errorResponse(codes), description: `Error. Possible codes: ${codes.join(', ')}.` };
    const existing = builder.rootDoc.paths![oasPath] ?? {};
    builder.addPath(oasPath, { ...existing, [r.method.toLowerCase()]: op });
  }
  // Body DTOs and the DTOs they reference.
  const addDto = (name: string) => {
    if (builder.rootDoc.components?.schemas?.[name] || !dtoSchemas[name]) return;
    builder.addSchema(name, dtoSchemas[name]);
    JSON.stringify(dtoSchemas[name]).replace(/#\/components\/schemas\/([A-Za-z0-9_]+)/g, (_, n: string) => (addDto(n), ''));
  };
  [...usedDtos].sort().forEach(addDto);
  return builder.getSpec();
}

function queryParameters(schema: SchemaObject | undefined, dtoName: string): ParameterObject[] {
  if (!schema) throw new Error(`OpenAPI: query DTO ${dtoName} has no class-validator metadata`);
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s as SchemaObject;
    return { name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

function errorResponse(codes: ErrorCode[]) {
  return {
    description: 'The standard error envelope.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['error'] },
            error: {
              type: 'object',
              properties: {
                code: { type: ['string', 'null'], enum: [...codes, null] },
                title: { type: ['string', 'null'], description: 'A static, human-readable label.' },
                message: { type: 'string', description: 'What went wrong in this instance.' },
                log_url: { type: ['string', 'null'], format: 'uri' },
              },
              required: ['code', 'title', 'message', 'log_url'],
            },
          },
          required: ['status', 'error'],
        } as SchemaObject | ReferenceObject,
      },
    },
  };
}
