// Spec-only (left out of the build like every *.spec-env.ts).
// The OpenAPI check behind spec-conformance.spec.ts: the vendored spec, the listed deviations
// and the validator that reports every captured response the spec does not allow.
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Fetched } from './index';

/** The vendored BambooHR OpenAPI 3.1 file (MIT, see fixtures/spec/LICENSE). */
const SPEC = path.join(__dirname, 'fixtures/spec/public.yaml');

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Where the sandbox follows documented live behaviour (NOTES.md) instead of the spec. Each entry
 * patches the spec before validation; everything else must validate unchanged. Each must be needed.
 */
export const DEVIATIONS: Array<{ where: string; reason: string; patch(doc: Doc): void }> = [
  {
    where: 'GET /api/v1/employees/{id} 401',
    reason:
      'The classic endpoint does not list 401, but a missing or unknown API key is answered 401 with the reason in X-BambooHR-Error-Message (NOTES §5 "401 Your API key is missing").',
    patch: (d) => (d.paths['/api/v1/employees/{id}'].get.responses['401'] = { description: 'Unauthorized' }),
  },
  {
    where: 'GET /api/v1/meta/fields 429',
    reason: 'No classic operation lists 429, but since 2026-09-16 every throttled request gets 429 + Retry-After (NOTES §6, docs/planned-changes-to-the-api).',
    patch: (d) => (d.paths['/api/v1/meta/fields'].get.responses['429'] = { description: 'Too Many Requests' }),
  },
  {
    where: 'POST /api/v1/webhooks 400: oneOf of WebhookBadRequest and WebhookError',
    reason:
      'Spec defect: `{"errors":[{"error":…,"issues":[…]}]}` (the spec\'s own WebhookBadRequest example, NOTES §5) also matches WebhookError\'s array form, so no body can satisfy "exactly one"; validated as anyOf.',
    patch: (d) => {
      const s = d.paths['/api/v1/webhooks'].post.responses['400'].content['application/json'].schema;
      s.anyOf = s.oneOf;
      delete s.oneOf;
    },
  },
];

export interface Captured {
  label: string;
  path: string;
  method: string;
  res: Fetched;
}

export function failures(captured: Captured[], deviations: typeof DEVIATIONS): string[] {
  const doc = parse(readFileSync(SPEC, 'utf8')) as Doc;
  for (const d of deviations) d.patch(doc);
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema(doc, 'bamboo');
  const out: string[] = [];
  const esc = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1');
  const compiled = new Map<string, ValidateFunction>();
  for (const c of captured) {
    const op = doc.paths[c.path]?.[c.method];
    if (!op) {
      out.push(`${c.label}: ${c.method} ${c.path} is not in the spec`);
      continue;
    }
    const status = String(c.res.status);
    const response = op.responses[status];
    if (!response) {
      out.push(`${c.label}: status ${status} is not declared for ${c.method} ${c.path}`);
      continue;
    }
    const schema = response.content?.['application/json']?.schema ?? response.content?.['application/problem+json']?.schema;
    if (!schema) {
      // no body described: the sandbox must not invent one (classic errors, 201 uploads)
      if (c.res.status >= 400 && c.res.text !== '' && !/json/.test(c.res.headers.get('content-type') ?? '')) out.push(`${c.label}: unexpected body`);
      continue;
    }
    const ref = `bamboo#/paths/${esc(c.path)}/${c.method}/responses/${status}/content/${response.content['application/json'] ? 'application~1json' : 'application~1problem+json'}/schema`;
    let v = compiled.get(ref);
    if (!v) compiled.set(ref, (v = ajv.compile({ $ref: ref })));
    if (!v(c.res.json)) out.push(`${c.label}: ${ajv.errorsText(v.errors)}`);
  }
  return out;
}
