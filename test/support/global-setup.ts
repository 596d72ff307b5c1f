import { Client } from 'pg';

/** Fails fast with a clear message when DATABASE_URL is set but unreachable. */
export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stdout.write('\ne2e: DATABASE_URL is unset, tests run on embedded PGlite (in memory).\n');
    return;
  }
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
  } catch (e) {
    throw new Error(`DATABASE_URL is set but Postgres is not reachable: ${(e as Error).message}`, { cause: e });
  } finally {
    await c.end().catch(() => undefined);
  }
  process.stdout.write('\ne2e: running against the Postgres in DATABASE_URL (a database per test file).\n');
}
