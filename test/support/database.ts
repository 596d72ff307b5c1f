import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * A throwaway database for one test file: on the Postgres in DATABASE_URL when set
 * (created here, dropped afterwards), else null (the caller uses embedded PGlite in memory).
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const base = process.env.DATABASE_URL;
  if (!base) return null;
  const name = `hgw_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * `describe` when DATABASE_URL names a Postgres server, else a skip with the reason:
 * tests that run several gateway processes on one database need a real server (the
 * embedded PGlite belongs to the one process that opened it).
 */
export function describeWithPostgresServer(file: string, why: string): jest.Describe {
  if (process.env.DATABASE_URL) return describe;
  // eslint-disable-next-line no-console
  console.warn(`${file.split('/').pop()}: skipped — needs DATABASE_URL (${why}).`);
  return describe.skip;
}
