import { Kombo } from '@kombo-api/sdk';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { startPersonioSandbox } from '../connectors/personio/sandbox';
import type { PersonioSandbox } from '../connectors/personio/sandbox/types';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { SDK_CALLS } from './support/kombo-sdk-calls';
import { describeWithReference, komboReferenceIfPresent, sdkErrorChecks, SDK_ERRORS_TITLE } from './support/kombo-sdk-errors';
import { startTestGateway, TestGateway } from './support/gateway';

/** Kombo SDK error paths through the SDK against Personio (see test/support/kombo-sdk-errors.ts). */
describeWithReference(SDK_ERRORS_TITLE, () => {
  const ref = komboReferenceIfPresent();

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
});
