import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../../migrations';

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
