import fc from 'fast-check';
import request from 'supertest';
import document from '../openapi/openapi.json';
import { DocumentsWorld, startDocumentsWorld } from './documents.helpers';
import { Schema, SchemaArbitraries, toJson } from './fuzz/schema-arbitrary';

/**
 * Property-based fuzzing of every operation in openapi/openapi.json: random and
 * hostile values for each parameter and body field, generated from the schema,
 * sent to a real gateway (real Postgres, the Personio simulator). Whatever comes
 * in, no answer is a 5xx, and every 4xx is the Kombo error envelope.
 *
 * CI runs a small budget with a fixed seed; a longer run (docs/security.md):
 *   FUZZ_RUNS=1000 FUZZ_SEED=$RANDOM npm test -- test/fuzz.e2e-spec.ts --runInBand   (about 40,000 requests, 10 min)
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const SEED = Number(process.env.FUZZ_SEED ?? 1717);

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const doc = document as unknown as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([, op]) => typeof op === 'object' && op && 'operationId' in op)
    .map(([method, op]) => ({ path, method, op })),
);
const arbitraries = new SchemaArbitraries(doc.components.schemas);

/** Header values Node's client can send at all (no control characters, Latin-1). */
const headerSafe = (v: string) => v.replace(/[^\x20-\x7e\x80-\xff]/g, '').slice(0, 2000);
const pathSafe = (v: string) => {
  try {
    return encodeURIComponent(v) || '%20';
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as its UTF-8-style bytes
  }
};

interface Request {
  url: string;
  headers: Record<string, string>;
  body?: string;
  encoding?: string;
}

describe('fuzzing every operation of the OpenAPI document', () => {
  let w: DocumentsWorld;
  const tally = { sent: 0, fiveHundreds: 0, byStatus: new Map<number, number>() };

  beforeAll(async () => {
    w = await startDocumentsWorld();
  });
  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(
      `fuzz: ${operations.length} operations, ${tally.sent} requests, ${tally.fiveHundreds} 5xx; by status ${JSON.stringify(Object.fromEntries([...tally.byStatus].sort()))} (seed ${SEED}, ${RUNS} runs each)`,
    );
    await w?.close();
  });

  it('covers the whole document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(40);
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s: no 5xx, every 4xx in the envelope',
    async (_, { path, method, op }) => {
      const params = op.parameters ?? [];
      const real = (name: string): string | null =>
        name === 'integration_id' || name === 'X-Integration-Id' ? w.integrationId : name === 'employee_id' ? w.employeeId(1) : null;
      const paramArb = fc.record(
        Object.fromEntries(
          params.map((p) => {
            const known = real(p.name);
            // Real ids often, so requests get past the scope checks; never the real integration for a DELETE.
            const useReal = known && !(method === 'delete' && p.name === 'integration_id');
            const text = arbitraries.text(p.schema ?? { type: 'string' });
            return [p.name, useReal ? fc.oneof({ weight: 3, arbitrary: fc.constant(known) }, { weight: 1, arbitrary: text }) : text];
          }),
        ),
        { requiredKeys: params.filter((p) => p.required).map((p) => p.name) },
      );
      const schema = op.requestBody?.content['application/json']?.schema;
      const bodyArb = schema
        ? fc.oneof(
            { weight: 6, arbitrary: arbitraries.value(schema).map((v) => ({ text: toJson(v) })) },
            { weight: 1, arbitrary: fc.constantFrom('{"a":', '', 'not json', '\u0000', '{"a":1}{"b":2}').map((text) => ({ text })) },
            { weight: 1, arbitrary: fc.constant({ text: '{"a":1}', encoding: 'gzip' }) },
          )
        : fc.constant(undefined);

      const toRequest = (values: Record<string, string | undefined>, body: { text: string; encoding?: string } | undefined): Request => {
        let url = `/v1${path}`.replace(/\{([^}]+)\}/g, (_m, name: string) => pathSafe(values[name] ?? 'x'));
        const query = params.filter((p) => p.in === 'query' && values[p.name] !== undefined).map((p) => `${p.name}=${pathSafe(values[p.name]!)}`);
        if (query.length) url += `?${query.join('&')}`;
        const headers: Record<string, string> = { Authorization: `Bearer ${w.gw.apiKey}` };
        for (const p of params.filter((x) => x.in === 'header' && values[x.name] !== undefined)) headers[p.name] = headerSafe(values[p.name]!);
        if (body) headers['Content-Type'] = 'application/json';
        if (body?.encoding) headers['Content-Encoding'] = body.encoding;
        return { url, headers, body: body?.text, encoding: body?.encoding };
      };

      await fc.assert(
        fc.asyncProperty(paramArb, bodyArb, async (values, body) => {
          const r = toRequest(values as Record<string, string | undefined>, body);
          const req = request(w.gw.url)[method as 'get'](r.url).set(r.headers);
          const res = await (r.body !== undefined ? req.send(r.body) : req);
          tally.sent++;
          tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
          // A documented answer, not a failure: the tool lacks the action (trainings on Personio, docs/trainings.md).
          const notAvailable = res.status === 501 && res.body?.error?.code === 'INTEGRATION.ACTION_NOT_AVAILABLE';
          if (res.status >= 500 && !notAvailable) tally.fiveHundreds++;
          expect({ status: res.status, url: r.url, body: res.status >= 500 ? res.body : undefined }).toMatchObject({ status: expect.any(Number) });
          if (!notAvailable) expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body).toMatchObject({ status: 'error', error: { code: expect.any(String), message: expect.any(String) } });
            expect(res.body.error).toHaveProperty('title');
            expect(res.body.error).toHaveProperty('log_url');
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    },
  );
});
