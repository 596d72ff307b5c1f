import { errorFamilyOf, FAMILY_CODES } from '../src/common/error-families';
import { ERROR_CODES } from '../src/common/errors';
import { FEATURE_MODULES } from '../src/app.modules';
import { NOT_SERVED_ACTIONS, NOT_SERVED_MODELS } from '../src/hris/not-served';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { gatewayOpenApiDocument } from '../src/openapi/document';
import { collectRoutes } from '../src/openapi/openapi.builder';
import { describeWithReference, komboReferenceIfPresent, sdkErrorChecks, SDK_ERRORS_TITLE } from './support/kombo-sdk-errors';
import { startTestGateway, TestGateway } from './support/gateway';
import { fixtureFor, REGISTERED_TOOLS, type StartedTool } from './support/tools';

/**
 * Kombo SDK error paths (see test/support/kombo-sdk-errors.ts): the error families against
 * Kombo's document, and the paths that depend on the tool. The paths through the SDK against
 * Personio are in kombo-sdk-errors-sdk.e2e-spec.ts.
 */
const OURS = new Set(Object.keys(ERROR_CODES));

describeWithReference(SDK_ERRORS_TITLE, () => {
  const ref = komboReferenceIfPresent();

  describe('the error families match Kombo’s document', () => {
    it('each family is exactly the codes of Kombo’s schema that the gateway has', () => {
      for (const [family, component] of [
        ['GENERAL', 'ErrorResponseGeneral'],
        ['HRIS', 'ErrorResponseHRIS'],
        ['ATS', 'ErrorResponseATS'],
      ] as const) {
        expect({ family, codes: [...FAMILY_CODES[family]].sort() }).toEqual({
          family,
          codes: ref
            .familyCodes(component)
            .filter((c) => OURS.has(c))
            .sort(),
        });
      }
    });

    it('every route that is not our extension is a Kombo operation, and its family is that operation’s schema', () => {
      const routes = collectRoutes(FEATURE_MODULES).filter((r) => r.path.startsWith('/v1/') && r.spec && !r.spec.extension);
      const seen = routes.map((r) => {
        const op = ref.operationForRoute(r.method, r.path);
        const family = errorFamilyOf(r.path, false);
        const codes = family === 'EXTENSION' ? [] : [...FAMILY_CODES[family]].sort();
        return { route: `${r.method} ${r.path}`, operation: op?.operationId, codes: op ? op.codes.filter((c) => OURS.has(c)).sort() : null, family: codes };
      });
      expect(seen.filter((s) => !s.operation || JSON.stringify(s.codes) !== JSON.stringify(s.family))).toEqual([]);
    });

    it('our OpenAPI document lists, for each of Kombo’s operations, only codes Kombo’s schema allows', () => {
      const doc = gatewayOpenApiDocument();
      const wrong: string[] = [];
      for (const [p, item] of Object.entries(doc.paths ?? {})) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OpenAPI operation objects, read by key
        for (const [method, op] of Object.entries(item as Record<string, any>)) {
          if (op['x-gateway-extension']) continue;
          const kombo = ref.operationFor(method, `/v1${p}`)!;
          const codes: Array<string | null> = op.responses.default.content['application/json'].schema.properties.error.properties.code.enum;
          for (const c of codes) if (c !== null && !kombo.codes.includes(c)) wrong.push(`${method.toUpperCase()} ${p}: ${c}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('every Kombo HRIS, ATS and assessment operation is either served or answers that it is not available', () => {
      const routes = new Set(collectRoutes(FEATURE_MODULES).map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{}')}`));
      const missing = ref.operations
        .filter((o) => /^\/(hris|ats|assessment)\//.test(o.path) && !o.path.startsWith('/ats/custom/'))
        .map((o) => `${o.method} /v1${o.path.replace(/\{[^}]+\}/g, '{}')}`)
        .filter((k) => !routes.has(k));
      expect(missing).toEqual([]);
      expect(NOT_SERVED_MODELS.length + Object.values(NOT_SERVED_ACTIONS).flat().length).toBeGreaterThan(40);
    });
  });

  describe.each(REGISTERED_TOOLS)('through the SDK, the error paths that depend on the tool (%s)', (tool) => {
    let gw: TestGateway;
    let sandbox: StartedTool;
    let synced: string;
    let refused: string;
    const { client, typedError } = sdkErrorChecks(ref, () => gw);

    beforeAll(async () => {
      const fx = fixtureFor(tool);
      sandbox = await fx.start({ employees: 10, seed: 5 });
      gw = await startTestGateway();
      const create = async (credentials: Record<string, unknown>) =>
        (
          await gw.app
            .get(IntegrationsService)
            .create({ environmentId: gw.environmentId, tool, credentials, baseUrl: sandbox.baseUrl, endUserOrganizationName: 'Acme GmbH' })
        ).id;
      synced = await create(sandbox.credentials);
      refused = await create(sandbox.refusedCredentials);
    }, 60_000);
    afterAll(async () => {
      await gw?.close();
      await sandbox?.close();
    });

    it('passthrough to an API the tool lacks, with credentials the tool refuses; reads before a first sync', async () => {
      const pt = fixtureFor(tool).passthrough;
      const k = client({ integration_id: synced });
      const failures: Array<[string, () => Promise<unknown>, string, number]> = [
        [
          'sendPassthroughRequest to an API the tool does not have',
          () => k.general.sendPassthroughRequest({ tool, api: 'recruiting', body: { method: 'GET', path: '/x' } }),
          'PLATFORM.INPUT_INVALID',
          400,
        ],
        ['getEmployees before a first sync', () => k.hris.getEmployees(), 'INTEGRATION.SETUP_SYNC_PENDING', 409],
      ];
      const withRefused = () => client({ integration_id: refused }).general.sendPassthroughRequest({ tool, api: pt.api, body: pt.request });
      if (pt.refusedCredentials === 'error')
        failures.push(['sendPassthroughRequest with credentials the tool refuses', withRefused, 'PLATFORM.INPUT_INVALID', 403]);
      else expect((await withRefused()).data).toMatchObject({ status: 401 });
      for (const [name, run, code, status] of failures) {
        expect({ name, ...(await typedError(name, run)) }).toMatchObject({ name, code, status });
      }
    });
  });
});
