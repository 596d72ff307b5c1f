import request from 'supertest';
import { createGateway, Gateway } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { waitFor } from './support/sync';

/** /health is public: during an outage it says the database is down, never where the database is. */
describe('/health during a database outage', () => {
  let gw: Gateway;
  let url: string;

  beforeAll(async () => {
    // Its own embedded database, so the test can take the database away from a running gateway.
    gw = await createGateway({ ...loadConfig({}), databaseUrl: null, port: 0, host: '127.0.0.1', role: 'api' }, { inMemory: true });
    url = `http://127.0.0.1:${(gw.app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await gw?.close().catch(() => undefined); // the database is already gone
  });

  it('answers 503 with a generic message, without the address or the driver error', async () => {
    await request(url).get('/health').expect(200);
    const where = new URL(gw.embedded!.url).searchParams.get('host')!;
    await gw.embedded!.stop();
    const res = await waitFor(
      async () => {
        const r = await request(url).get('/health');
        return r.status === 503 ? r : null;
      },
      10_000,
      '/health to report the outage',
    );
    expect(res.body.error.database).toEqual({ status: 'down', message: 'the database is unreachable' });
    const body = JSON.stringify(res.body);
    expect(body).not.toContain(where);
    expect(body).not.toMatch(/ENOENT|ECONNREFUSED|127\.0\.0\.1|\.s\.PGSQL/);
  });
});
