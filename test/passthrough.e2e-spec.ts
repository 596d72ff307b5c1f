import request from 'supertest';
import { startPersonioSandbox } from '../connectors/personio/sandbox';
import type { PersonioSandbox } from '../connectors/personio/sandbox/types';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { startTestGateway, TestGateway } from './support/gateway';

/** Passthrough requests that are the caller's fault answer 400 PLATFORM.INPUT_INVALID at once, and nothing reaches Personio. */
describe('passthrough input errors', () => {
  let gw: TestGateway;
  let sandbox: PersonioSandbox;
  let integrationId: string;
  const send = (api: string, body: Record<string, unknown>) =>
    request(gw.url).post(`/v1/passthrough/personio/${api}`).set('Authorization', `Bearer ${gw.apiKey}`).set('X-Integration-Id', integrationId).send(body);
  const remoteCalls = () => sandbox.requestLog().filter((r) => r.clientId === sandbox.defaultCredential.clientId).length;

  beforeAll(async () => {
    sandbox = await startPersonioSandbox({ employees: 10, seed: 3 });
    // API only: no scheduler, so no first sync of this integration talks to the simulator meanwhile.
    gw = await startTestGateway({ role: 'api' });
    const i = await gw.app.get(IntegrationsService).create({
      environmentId: gw.environmentId,
      tool: 'personio',
      baseUrl: sandbox.url,
      endUserOrganizationName: 'ACME',
      credentials: { clientId: sandbox.defaultCredential.clientId, clientSecret: sandbox.defaultCredential.clientSecret },
    });
    integrationId = i.id;
    // One good call, so the token is cached and every later remote call would show in the log.
    await send('personnel', { method: 'GET', path: '/company/employees', params: { limit: 1 } }).expect(200);
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it.each([
    ['an unknown passthrough API', 'recruiting', { method: 'GET', path: '/x' }, /no passthrough API "personio\/recruiting"/],
    [
      'an invalid header name',
      'personnel',
      { method: 'GET', path: '/company/employees', headers: { 'bad header': 'x' } },
      /"bad header" is not a valid HTTP header name/,
    ],
    [
      'a header value with a line break',
      'personnel',
      { method: 'GET', path: '/company/employees', headers: { 'X-Test': 'a\r\nInjected: 1' } },
      /without line breaks/,
    ],
    ['a GET with a body', 'personnel', { method: 'GET', path: '/company/employees', data: { a: 1 } }, /GET has no body/],
    ['the token endpoint', 'personnel', { method: 'POST', path: '/auth' }, /\/auth is handled by the gateway/],
    ['the token endpoint behind encoded dots', 'personnel', { method: 'POST', path: '/company/%2e%2e/auth' }, /\/auth is handled by the gateway/],
    [
      'the token endpoint behind mixed-case encoded dots and /v1',
      'personnel',
      { method: 'POST', path: '/v1/company/.%2E/auth' },
      /\/auth is handled by the gateway/,
    ],
    ['an encoded slash', 'personnel', { method: 'POST', path: '/company/..%2Fauth' }, /encoded slash/],
  ])('refuses %s with 400 PLATFORM.INPUT_INVALID and sends nothing', async (_, api, body, message) => {
    const before = remoteCalls();
    const res = await send(api, body);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'PLATFORM.INPUT_INVALID' });
    expect(res.body.error.message).toMatch(message);
    expect(remoteCalls()).toBe(before);
  });
});
