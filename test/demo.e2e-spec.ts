import request from 'supertest';
import { Demo, parseDemoArgs, startDemo } from '../scripts/demo';

/**
 * `npm run demo`'s composition: the gateway must be pointed at the demo's simulator,
 * so that a connect link made in the demo tests credentials against it (not against
 * api.personio.de), and the demo's own integration syncs from it.
 */
describe('npm run demo', () => {
  let demo: Demo;

  beforeAll(async () => {
    demo = await startDemo({ employees: 10, sandboxPort: 0, env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } });
  }, 60_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('a connect link made in the demo checks the credentials against the demo’s simulator', async () => {
    const link = await request(demo.url)
      .post('/v1/connect/create-link')
      .set('Authorization', `Bearer ${demo.key}`)
      .send({ end_user_email: 'it@acme.example', end_user_organization_name: 'ACME' })
      .expect(200);
    const path = new URL(link.body.data.link).pathname;
    const page = await request(demo.url).get(path).expect(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    demo.sandbox.clearRequestLog();
    const { clientId, clientSecret } = demo.sandbox.defaultCredential;
    const tested = await request(demo.url).post(`${path}/test`).type('form').send({ csrf, clientId: clientId, clientSecret: clientSecret });
    expect(tested.text).toContain('The connection works.');
    expect(demo.sandbox.requestLog().filter((r) => r.clientId === clientId).length).toBeGreaterThan(0);
  });

  it('the demo’s integration syncs from the simulator', async () => {
    const deadline = Date.now() + 45_000;
    let details = await request(demo.url).get(`/v1/integrations/${demo.integrationId}`).set('Authorization', `Bearer ${demo.key}`).expect(200);
    while (details.body.data.setup_status !== 'COMPLETED' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      details = await request(demo.url).get(`/v1/integrations/${demo.integrationId}`).set('Authorization', `Bearer ${demo.key}`).expect(200);
    }
    const employees = await request(demo.url)
      .get('/v1/hris/employees?page_size=250')
      .set('Authorization', `Bearer ${demo.key}`)
      .set('X-Integration-Id', demo.integrationId)
      .expect(200);
    expect(employees.body.data.results.map((e: { remote_id: string }) => e.remote_id).sort()).toEqual(demo.sandbox.employeeIds().map(String).sort());
  }, 60_000);

  it('takes --sandbox-port and --employees', () => {
    expect(parseDemoArgs(['--sandbox-port', '4010'], {})).toEqual({ sandboxPort: 4010, employees: 300 });
    expect(parseDemoArgs(['--employees', '20'], { DEMO_EMPLOYEES: '50' })).toEqual({ sandboxPort: 0, employees: 20 });
    expect(parseDemoArgs([], { DEMO_EMPLOYEES: '50' })).toEqual({ sandboxPort: 0, employees: 50 });
    expect(() => parseDemoArgs(['--sandbox-port', '70000'], {})).toThrow('--sandbox-port');
  });
});
