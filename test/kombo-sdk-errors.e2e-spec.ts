import { HTTPClient, Kombo } from '@kombo-api/sdk';
import { KomboAtsError, KomboError, KomboGeneralError, KomboHrisError, ResponseValidationError } from '@kombo-api/sdk/models/errors';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { startPersonioSandbox } from '../connectors/personio/sandbox';
import type { PersonioSandbox } from '../connectors/personio/sandbox/types';
import { FEATURE_MODULES } from '../src/app.modules';
import { errorFamilyOf, FAMILY_CODES } from '../src/common/error-families';
import { ERROR_CODES } from '../src/common/errors';
import { NOT_SERVED_ACTIONS, NOT_SERVED_MODELS } from '../src/hris/not-served';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { gatewayOpenApiDocument } from '../src/openapi/document';
import { collectRoutes } from '../src/openapi/openapi.builder';
import { SDK_CALLS } from './support/kombo-sdk-calls';
import { haveKomboReference, KOMBO_REFERENCE, KomboReference } from './support/kombo-reference';
import { startTestGateway, TestGateway } from './support/gateway';
import { fixtureFor, REGISTERED_TOOLS, type StartedTool } from './support/tools';

/**
 * Every error path of every endpoint Kombo's SDK has, called through the SDK (which
 * validates every response, errors included, against Kombo's schema): each must be
 * the SDK's typed error (not ResponseValidationError) with a code Kombo's document
 * allows for that operation. Needs Kombo's document from ../shared/reference.
 */
const describeWithReference = haveKomboReference ? describe : describe.skip;
// eslint-disable-next-line no-console -- say why the suite is skipped
if (!haveKomboReference) console.warn(`kombo-sdk-errors: SKIPPED — Kombo's OpenAPI document is not at ${KOMBO_REFERENCE} (../shared/reference/kombo/).`);
const TITLE = haveKomboReference ? 'Kombo SDK error paths' : `Kombo SDK error paths — SKIPPED: Kombo's OpenAPI document is not at ${KOMBO_REFERENCE}`;

const TYPED: Record<string, new (...args: never[]) => KomboError> = {
  ErrorResponseGeneral: KomboGeneralError,
  ErrorResponseHRIS: KomboHrisError,
  ErrorResponseATS: KomboAtsError,
};
const OURS = new Set(Object.keys(ERROR_CODES));

/**
 * The SDK's errors checked against Kombo's document: a client whose responses remember their
 * request, and checks that a call fails with the typed error of the operation that answered,
 * with a code that operation allows.
 */
function sdkErrorChecks(ref: KomboReference, getGw: () => TestGateway) {
  // The request behind each response, so an error is checked against the operation that answered it.
  const requestOf = new WeakMap<Response, { method: string; url: string }>();

  const client = (opts: { api_key?: string; integration_id?: string }) => {
    const gw = getGw();
    const httpClient = new HTTPClient();
    httpClient.addHook('response', (res, req) => {
      requestOf.set(res, { method: req.method, url: req.url });
    });
    return new Kombo({ api_key: opts.api_key ?? gw.apiKey, integration_id: opts.integration_id, server_url: `${gw.url}/v1`, http_client: httpClient });
  };

  const failureOf = async (run: () => Promise<unknown>): Promise<unknown> => {
    try {
      await run();
      return undefined;
    } catch (e) {
      return e ?? new Error('undefined was thrown');
    }
  };

  /** An error of one call: the SDK's typed error for the operation, with a code the operation allows. */
  function checkTyped(name: string, error: unknown): { code: string; status: number; operation: string } {
    if (error === undefined) throw new Error(`${name} did not fail`);
    if (!(error instanceof KomboError)) throw error;
    const req = requestOf.get(error.rawResponse);
    const where = `${name}: ${req?.method} ${req?.url}`;
    const op = req && ref.operationFor(req.method, req.url);
    if (!op) throw new Error(`${where} is no operation in Kombo's document`);
    if (error instanceof ResponseValidationError) throw new Error(`${where}: the SDK could not parse the error (${error.pretty()})`);
    const body = JSON.parse(error.body) as { error: { code: string } };
    expect({ where, typed: error instanceof TYPED[op.errorSchema], allowed: op.codes.includes(body.error.code) }).toEqual({
      where,
      typed: true,
      allowed: true,
    });
    return { code: body.error.code, status: error.statusCode, operation: op.operationId };
  }

  /** Runs one call that must fail with a typed, allowed error. */
  const typedError = async (name: string, run: () => Promise<unknown>) => checkTyped(name, await failureOf(run));

  /** A call that may succeed; when it fails, the error must be typed and allowed. */
  async function succeedsOrTyped(name: string, run: () => Promise<unknown>): Promise<string | null> {
    const error = await failureOf(run);
    return error === undefined ? null : checkTyped(name, error).code;
  }

  return { client, typedError, succeedsOrTyped };
}

describeWithReference(TITLE, () => {
  const ref = haveKomboReference ? new KomboReference() : (undefined as never);

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

  describe('through the SDK', () => {
    let gw: TestGateway;
    let sandbox: PersonioSandbox;
    let synced: string;
    let badCredentials: string;
    const { client, typedError, succeedsOrTyped } = sdkErrorChecks(ref, () => gw);

    beforeAll(async () => {
      sandbox = await startPersonioSandbox({ employees: 10, seed: 5 });
      // Every SDK method is called with a wrong key: more 401s than the default per-address budget.
      gw = await startTestGateway({ toolSettings: { personio: { baseUrl: sandbox.url } }, authFailuresPerMinute: 10_000 });
      const integrations = gw.app.get(IntegrationsService);
      const create = async (clientSecret: string) =>
        (
          await integrations.create({
            environmentId: gw.environmentId,
            tool: 'personio',
            baseUrl: sandbox.url,
            endUserOrganizationName: 'Acme GmbH',
            credentials: { clientId: sandbox.defaultCredential.clientId, clientSecret },
          })
        ).id;
      synced = await create(sandbox.defaultCredential.clientSecret);
      badCredentials = await create('not-the-secret');
      const k = client({ integration_id: synced });
      await k.general.triggerSync({ type: 'FULL' });
      const deadline = Date.now() + 45_000;
      while ((await k.general.getIntegrationDetails({ integration_id: synced })).data.setup_status !== 'COMPLETED' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
    }, 60_000);
    afterAll(async () => {
      await gw?.close();
      await sandbox?.close();
    });

    it('the call table covers every method of the SDK', () => {
      const k = new Kombo({ api_key: 'x' });
      const methods = (['general', 'hris', 'ats', 'assessment', 'connect'] as const).flatMap((group) =>
        Object.getOwnPropertyNames(Object.getPrototypeOf(k[group]))
          .filter((m) => m !== 'constructor')
          .map((m) => `${group}.${m}`),
      );
      expect(methods.filter((m) => !SDK_CALLS[m]).sort()).toEqual([]);
    });

    it('a wrong API key: every method answers PLATFORM.AUTHENTICATION_INVALID', async () => {
      const k = client({ api_key: 'wrong-key', integration_id: synced });
      for (const [name, call] of Object.entries(SDK_CALLS)) {
        expect({ name, code: (await typedError(name, () => call.run(k, synced))).code }).toEqual({ name, code: 'PLATFORM.AUTHENTICATION_INVALID' });
      }
    });

    it('an unknown integration: every integration-scoped method answers PLATFORM.INTEGRATION_NOT_FOUND', async () => {
      const unknown = 'personio:111111111111111111111111';
      const k = client({ integration_id: unknown });
      const unscoped = Object.entries(SDK_CALLS)
        .filter(([, c]) => c.unscoped)
        .map(([n]) => n);
      for (const [name, call] of Object.entries(SDK_CALLS)) {
        const code = call.unscoped ? await succeedsOrTyped(name, () => call.run(k, unknown)) : (await typedError(name, () => call.run(k, unknown))).code;
        if (!call.unscoped) expect({ name, code }).toEqual({ name, code: 'PLATFORM.INTEGRATION_NOT_FOUND' });
      }
      expect(unscoped.sort()).toEqual(['connect.createConnectionLink', 'connect.getIntegrationByToken', 'general.checkApiKey', 'general.getTools']);
    });

    it('no X-Integration-Id: every header-scoped method answers PLATFORM.INPUT_INVALID', async () => {
      const k = client({});
      for (const [name, call] of Object.entries(SDK_CALLS)) {
        if (!call.header) continue;
        expect({ name, code: (await typedError(name, () => call.run(k, synced))).code }).toEqual({ name, code: 'PLATFORM.INPUT_INVALID' });
      }
    });

    it('models and actions the gateway does not serve: INTEGRATION.MODEL_NOT_AVAILABLE / ACTION_NOT_AVAILABLE (setup links: INPUT_INVALID)', async () => {
      const k = client({ integration_id: synced });
      const notServed = Object.entries(SDK_CALLS).filter(([, c]) => c.notServed);
      expect(notServed.length).toBeGreaterThan(30);
      for (const [name, call] of notServed) {
        const { code, status } = await typedError(name, () => call.run(k, synced));
        expect({ name, code, status }).toEqual({ name, code: call.notServed, status: 501 });
      }
    });

    it('each served endpoint’s own error paths', async () => {
      const k = client({ integration_id: synced });
      const failures: Array<[string, () => Promise<unknown>, string, number]> = [
        [
          'getEmployees before a first sync (credentials refused)',
          () => client({ integration_id: badCredentials }).hris.getEmployees(),
          'INTEGRATION.SETUP_SYNC_PENDING',
          409,
        ],
        ['getGroups with a page size over 250', () => k.hris.getGroups({ page_size: 1000 }), 'PLATFORM.INPUT_INVALID', 400],
        ['getEmployees with a malformed cursor', () => k.hris.getEmployees({ cursor: 'not-a-cursor' }), 'PLATFORM.INPUT_INVALID', 400],
        [
          'addEmployeeDocument for an unknown employee',
          () =>
            k.hris.addEmployeeDocument({
              employee_id: '111111111111111111111111',
              body: { category_id: '111111111111111111111111', document: { name: 'a.pdf', content_type: 'application/pdf', data: 'JVBERi0=' } },
            }),
          'PLATFORM.INPUT_INVALID',
          400,
        ],
        [
          'triggerSync of a disabled integration',
          async () => {
            await k.general.setIntegrationEnabled({ integration_id: synced, body: { value: false } });
            try {
              await k.general.triggerSync({ type: 'FULL' });
            } finally {
              await k.general.setIntegrationEnabled({ integration_id: synced, body: { value: true } });
            }
          },
          'PLATFORM.INPUT_INVALID',
          403,
        ],
        [
          'sendPassthroughRequest to an API Personio does not have',
          () => k.general.sendPassthroughRequest({ tool: 'personio', api: 'recruiting', body: { method: 'GET', path: '/x' } }),
          'PLATFORM.INPUT_INVALID',
          400,
        ],
        [
          'sendPassthroughRequest with credentials Personio refuses',
          () =>
            client({ integration_id: badCredentials }).general.sendPassthroughRequest({
              tool: 'personio',
              api: 'personnel',
              body: { method: 'GET', path: '/company/employees' },
            }),
          'PLATFORM.INPUT_INVALID',
          403,
        ],
        [
          'updateIntegrationField with an unknown field',
          () =>
            k.general.updateIntegrationField({ integration_id: synced, integration_field_id: '111111111111111111111111', body: { enable_passthrough: true } }),
          'PLATFORM.INPUT_INVALID',
          404,
        ],
        [
          'updateCustomFieldMapping with an unknown custom field',
          () =>
            k.general.updateCustomFieldMapping({ integration_id: synced, custom_field_id: '111111111111111111111111', body: { integration_field_id: null } }),
          'PLATFORM.INPUT_INVALID',
          404,
        ],
        [
          'createConnectionLink with a malformed e-mail',
          () => k.connect.createConnectionLink({ end_user_email: 'not-an-email', end_user_organization_name: 'Acme' }),
          'PLATFORM.INPUT_INVALID',
          400,
        ],
        ['getIntegrationByToken with an unknown token', () => k.connect.getIntegrationByToken({ token: 'hgat_unknown' }), 'PLATFORM.INPUT_INVALID', 404],
      ];
      for (const [name, run, code, status] of failures) {
        expect({ name, ...(await typedError(name, run)) }).toMatchObject({ name, code, status });
      }
    });

    it('getIntegrationByToken and POST /connect/activate-integration: a token works once, then is refused in Kombo’s schema', async () => {
      const k = client({});
      const token = async () => {
        const { data } = await k.connect.createConnectionLink({
          end_user_email: 'it@acme.example',
          end_user_organization_name: 'Acme GmbH',
          integration_tool: 'personio',
        });
        const path = new URL(data.link).pathname;
        const csrf = async (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
        const page = await request(gw.url).get(path).expect(200);
        const tested = await request(gw.url)
          .post(`${path}/test`)
          .type('form')
          .send({ csrf: await csrf(page.text), clientId: sandbox.defaultCredential.clientId, clientSecret: sandbox.defaultCredential.clientSecret });
        expect(tested.text).toContain('The connection works.');
        const done = await request(gw.url)
          .post(`${path}/finish`)
          .type('form')
          .send({ csrf: await csrf(tested.text) });
        return /data-activation-token="([^"]+)"/.exec(done.text)![1];
      };
      const first = await token();
      expect((await k.connect.getIntegrationByToken({ token: first })).data).toMatchObject({ tool: 'personio', end_user_organization_name: 'Acme GmbH' });
      expect(await typedError('getIntegrationByToken with a used token', () => k.connect.getIntegrationByToken({ token: first }))).toMatchObject({
        code: 'PLATFORM.INPUT_INVALID',
        status: 404,
      });

      // Not in SDK 1.1.3: checked against Kombo's schemas directly.
      const ajv = addFormats(new Ajv2020({ strict: false }));
      const positive = ajv.compile(ref.schema('PostConnectActivateIntegrationPositiveResponse'));
      const negative = ajv.compile(ref.doc.components.responses.ErrorResponseGeneral.content['application/json'].schema);
      const second = await token();
      const activate = (t: unknown) => request(gw.url).post('/v1/connect/activate-integration').set('Authorization', `Bearer ${gw.apiKey}`).send({ token: t });
      const ok = await activate(second).expect(200);
      expect({ valid: positive(ok.body), errors: positive.errors }).toEqual({ valid: true, errors: null });
      for (const [t, status] of [
        [second, 404],
        ['hgat_unknown', 404],
        [42, 400],
      ] as const) {
        const res = await activate(t).expect(status);
        expect({ t, valid: negative(res.body), errors: negative.errors, code: res.body.error.code }).toEqual({
          t,
          valid: true,
          errors: null,
          code: 'PLATFORM.INPUT_INVALID',
        });
      }
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
