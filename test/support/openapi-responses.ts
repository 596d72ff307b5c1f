// Every response a test gateway sends on a route of openapi/openapi.json is checked against that
// document: status documented for the operation, JSON body valid against its schema (ajv, JSON
// Schema 2020-12 as OpenAPI 3.1 uses it). A mismatch is recorded and fails the running test
// (test/support/openapi-responses.setup.ts), so the published contract cannot drift from what the
// gateway really answers.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export const OPENAPI_DOCUMENT = path.resolve(__dirname, '..', '..', 'openapi', 'openapi.json');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Operation {
  method: string;
  /** As in the document, e.g. /integrations/{integration_id} (the server URL, /v1, not included). */
  template: string;
  pattern: RegExp;
  /** Literal segments: `/webhooks/events/{id}` loses to `/webhooks/redeliver-failed` and the like. */
  literals: number;
  responses: Json;
}

export interface ResponseMismatch {
  method: string;
  url: string;
  operation: string;
  status: number;
  problem: string;
}

export class OpenApiResponses {
  private readonly doc: Json;
  private readonly base: string;
  private readonly operations: Operation[] = [];
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(file = OPENAPI_DOCUMENT) {
    this.doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    this.base = (this.doc.servers?.[0]?.url ?? '').replace(/\/$/, '');
    for (const [template, item] of Object.entries(this.doc.paths as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        if (!op?.responses) continue;
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}$`),
          literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
          responses: op.responses,
        });
      }
    }
    this.operations.sort((a, b) => b.literals - a.literals);
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; the document's own formats `double` and
    // `int64` only annotate numbers (the `type` already checks them).
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
    addFormats(this.ajv);
    this.ajv.addFormat('double', { type: 'number', validate: () => true });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    // Component schemas become $defs of one schema, so `#/components/schemas/X` refs resolve.
    this.ajv.addSchema({ $id: 'openapi:components', $defs: this.rewriteRefs(this.doc.components?.schemas ?? {}) });
  }

  /** The documented operation a request hits, if any. */
  operationFor(method: string, url: string): Operation | undefined {
    const pathname = new URL(url, 'http://x').pathname;
    if (!pathname.startsWith(`${this.base}/`)) return undefined;
    const p = pathname.slice(this.base.length);
    return this.operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(p));
  }

  /** What is wrong with one response, or null when it matches the document (or the route is not documented). */
  check(method: string, url: string, status: number, contentType: string | undefined, body: Buffer): ResponseMismatch | null {
    const op = this.operationFor(method, url);
    if (!op) return null;
    const mismatch = (problem: string): ResponseMismatch => ({ method, url, operation: `${op.method} ${op.template}`, status, problem });
    const key = String(status);
    const rangeKey = `${key[0]}XX`;
    const documented = op.responses[key] ?? op.responses[rangeKey] ?? op.responses.default;
    if (!documented) return mismatch(`status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`);
    const response = this.resolve(documented);
    const content = response.content as Json | undefined;
    if (!content || Object.keys(content).length === 0) {
      return body.length === 0 ? null : mismatch(`documented without a body, but ${body.length} bytes were sent`);
    }
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const media = content[mediaType];
    if (!media) return mismatch(`content type "${contentType ?? '(none)'}" is not documented (documented: ${Object.keys(content).join(', ')})`);
    if (!media.schema || !/[/+]json$/.test(mediaType)) return null;
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return mismatch(`body is not JSON: ${truncate(body.toString('utf8'))}`);
    }
    const statusKey = op.responses[key] ? key : op.responses[rangeKey] ? rangeKey : 'default';
    const validate = this.validator(`${op.method} ${op.template} ${statusKey} ${mediaType}`, media.schema);
    if (validate(value)) return null;
    return mismatch(`body does not match the schema:\n${formatErrors(validate.errors ?? [], value)}`);
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(this.rewriteRefs(schema));
      this.validators.set(key, v);
    }
    return v;
  }

  /** A `$ref` to components/responses (the shared error envelope) → the response object. */
  private resolve(response: Json): Json {
    const ref: unknown = response.$ref;
    if (typeof ref !== 'string') return response;
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<Json | undefined>((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
    if (!target) throw new Error(`${OPENAPI_DOCUMENT}: unresolvable $ref ${ref}`);
    return this.resolve(target);
  }

  private rewriteRefs<T>(schema: T): T {
    return JSON.parse(JSON.stringify(schema), (k, v) =>
      k === '$ref' && typeof v === 'string' ? v.replace(/^#\/components\/schemas\//, 'openapi:components#/$defs/') : v,
    );
  }
}

function truncate(s: string, max = 300): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function formatErrors(errors: ErrorObject[], value: unknown): string {
  return errors
    .slice(0, 10)
    .map((e) => {
      const at = e.instancePath || '(body)';
      const actual = e.instancePath
        .split('/')
        .slice(1)
        .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], value);
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
          : e.keyword === 'enum'
            ? ` (${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)})`
            : '';
      return `  ${at} ${e.message}${extra}; got ${truncate(JSON.stringify(actual) ?? 'undefined', 120)}`;
    })
    .concat(errors.length > 10 ? [`  … and ${errors.length - 10} more`] : [])
    .join('\n');
}

let shared: OpenApiResponses | undefined;
const mismatches: ResponseMismatch[] = [];

/**
 * Checks every response `server` sends against the document. The check runs inside `res.end()`,
 * before the last bytes reach the client, so the mismatch is recorded before the test sees the answer.
 */
export function checkResponsesAgainstOpenApi(server: Server): void {
  shared ??= new OpenApiResponses();
  const doc = shared;
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    if (method === 'HEAD' || !doc.operationFor(method, url)) return;
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      keep(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      keep(chunk, rest[0]);
      const contentType = res.getHeader('content-type');
      const found = doc.check(method, url, res.statusCode, Array.isArray(contentType) ? contentType[0] : contentType?.toString(), Buffer.concat(chunks));
      if (found) mismatches.push(found);
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof res.end;
  });
}

/** The mismatches recorded since the last call, as one readable message (null when there were none). */
export function takeResponseMismatches(): string | null {
  if (mismatches.length === 0) return null;
  const found = mismatches.splice(0);
  const lines = found.map((m) => `${m.method} ${truncate(m.url, 160)} → ${m.status} (operation ${m.operation}): ${m.problem}`);
  return `${found.length} response(s) do not match ${path.relative(process.cwd(), OPENAPI_DOCUMENT)}:\n${lines.join('\n')}`;
}
