import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../../migrations';
import { backoffDelay, sleep } from '../../connectors/http/backoff';
import { getLogger } from '../common/logger';
import { StartupError } from '../config/config';

export function dataSourceOptions(url: string, opts: { poolSize?: number; embedded?: boolean } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into Postgres ≥13 and PGlite; uuid-ossp is not in PGlite.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: false,
    extra: {
      max: opts.poolSize ?? (opts.embedded ? 8 : 20),
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'hris-gateway',
    },
  };
}

export function createDataSource(url: string, opts: { poolSize?: number; embedded?: boolean } = {}): DataSource {
  return new DataSource(dataSourceOptions(url, opts));
}

/** Start-up waits this long between attempts at first, doubling to at most 5 s (equal jitter). */
const CONNECT_BACKOFF = { baseDelayMs: 500, maxDelayMs: 5_000 };
/** Answers no retry changes: bad password or user, missing database. */
const PERMANENT = new Set(['28P01', '28000', '3D000']);

/**
 * Opens a DataSource on DATABASE_URL, retrying with backoff for up to `timeoutSeconds`
 * (Postgres may start after the gateway: compose, a restarting server). Gives up with a
 * StartupError naming DATABASE_URL and the address without its password.
 */
export async function openDataSourceWithRetry(url: string, timeoutSeconds: number, opts: { poolSize?: number } = {}): Promise<DataSource> {
  const log = getLogger('database');
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    const ds = createDataSource(url, opts);
    try {
      await ds.initialize();
      return ds;
    } catch (e) {
      if (ds.isInitialized) await ds.destroy().catch(() => undefined);
      const code = (e as { code?: string }).code;
      const reason = (e as Error).message || code || String(e);
      const wait = backoffDelay(CONNECT_BACKOFF, attempt);
      if ((code && PERMANENT.has(code)) || Date.now() + wait > deadline) {
        const waited = code && PERMANENT.has(code) ? '' : ` within ${timeoutSeconds} s (DATABASE_CONNECT_TIMEOUT_SECONDS)`;
        const message = `Could not connect to the database in DATABASE_URL (${describeDatabaseUrl(url)})${waited}: ${reason}`;
        throw new StartupError('DATABASE_URL', message, waited ? 1 : 2);
      }
      log.warn({ attempt, retry_in_ms: wait, error: reason }, 'database not reachable yet; retrying');
      await sleep(wait);
    }
  }
}

/** The URL without password or query (which may carry ssl passwords): safe to print. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

// Arbitrary constant: every gateway process takes this lock before migrating.
const MIGRATION_LOCK = 727_431_001;

/**
 * Runs pending migrations under an advisory lock so several replicas starting at
 * once migrate one after another; already-applied migrations are skipped.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
