import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { createGateway } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { createTestDatabase, describeWithPostgresServer } from './support/database';

/** Connections the gateway holds on `url`'s database (its pool names itself hris-gateway*). */
async function gatewayConnections(url: string): Promise<number> {
  const name = new URL(url).pathname.slice(1);
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const r = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'hris-gateway%'`, [name]);
    return (r.rows[0] as { n: number }).n;
  } finally {
    await c.end();
  }
}

describeWithPostgresServer(__filename, 'counts the connections a failed start leaves on a Postgres server')('a start-up that fails late', () => {
  it('closes the database pool it opened when the port is taken', async () => {
    const db = (await createTestDatabase())!;
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hgw-fail-'));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const config = { ...loadConfig({}), port, host: '127.0.0.1', databaseUrl: db.url, dataDir };
      await expect(createGateway(config)).rejects.toMatchObject({ code: 'EADDRINUSE' });
      // A closed backend leaves pg_stat_activity a moment after the client hung up.
      let open = await gatewayConnections(db.url);
      for (let i = 0; open > 0 && i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100));
        open = await gatewayConnections(db.url);
      }
      expect(open).toBe(0);
    } finally {
      taken.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
