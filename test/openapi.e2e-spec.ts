import * as fs from 'node:fs';
import * as path from 'node:path';
import { validate } from '@readme/openapi-parser';
import { FEATURE_MODULES } from '../src/app.modules';
import { gatewayOpenApiDocument } from '../src/openapi/document';
import { collectRoutes } from '../src/openapi/openapi.builder';

describe('OpenAPI document', () => {
  const doc = gatewayOpenApiDocument();

  it('passes a standard OpenAPI 3.1 validator', async () => {
    const result = await validate(JSON.parse(JSON.stringify(doc)));
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('matches the checked-in openapi/openapi.json (run `npm run openapi` after changing routes)', () => {
    const checkedIn = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('documents every /v1 route, each with a unique operationId', () => {
    const v1 = collectRoutes(FEATURE_MODULES).filter((r) => r.path.startsWith('/v1/'));
    const undocumented = v1.filter((r) => !r.spec).map((r) => `${r.method} ${r.path}`);
    expect(undocumented).toEqual([]);
    // Kombo's routes for what we do not serve share one handler per method and stay out of the document.
    const ids = v1.filter((r) => !r.spec!.notServed).map((r) => r.spec!.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names every error code a route can answer with', () => {
    for (const [p, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, { responses?: Record<string, unknown> }>)) {
        expect({ route: `${method} ${p}`, hasDefault: !!op.responses?.default }).toEqual({ route: `${method} ${p}`, hasDefault: true });
      }
    }
  });
});
