import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import request from 'supertest';
import { createTestDatabase, describeWithPostgresServer } from './support/database';
import { startTestGateway, TestGateway } from './support/gateway';

/**
 * A database outage while the gateway runs: the gateway reaches Postgres through a TCP
 * proxy that the test cuts. Requests then get 503 with Retry-After in the error
 * envelope (not a 500), and are served again once the database is back.
 */
describeWithPostgresServer(__filename, 'the outage is made by cutting a TCP proxy to the Postgres server')('API during a database outage', () => {
  let gw: TestGateway;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: Server;
  let port = 0;
  const sockets = new Set<Socket>();
  // The describe body runs even when skipped (no DATABASE_URL), so the URL is not read until used.
  const target = new URL(process.env.DATABASE_URL ?? 'postgresql://127.0.0.1:5432/unused');

  const openProxy = () =>
    new Promise<void>((resolve) => {
      proxy = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      proxy.listen(port, '127.0.0.1', () => {
        port = (proxy.address() as AddressInfo).port;
        resolve();
      });
    });
  const cutProxy = async () => {
    await new Promise((r) => {
      proxy.close(r);
      for (const s of sockets) s.destroy();
    });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await openProxy();
    const url = new URL(db!.url);
    url.host = `127.0.0.1:${port}`;
    gw = await startTestGateway({ databaseUrl: url.toString(), role: 'api' });
  });
  afterAll(async () => {
    await gw?.close();
    if (proxy?.listening) await cutProxy();
    await db?.drop();
  });

  it('answers 503 with Retry-After while the database is unreachable, and recovers', async () => {
    const auth = { Authorization: `Bearer ${gw.apiKey}` };
    await request(gw.url).get('/v1/check-api-key').set(auth).expect(200);
    await cutProxy();
    const res = await request(gw.url).get('/v1/integrations/x').set(auth);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ status: 'error', error: { code: 'PLATFORM.UNKNOWN_ERROR' } });
    expect(res.body.error.message).toMatch(/database cannot be reached/);
    await openProxy();
    await request(gw.url).get('/v1/check-api-key').set(auth).expect(200);
  });
});
