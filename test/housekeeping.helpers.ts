import { loadConfig } from '../src/config/config';
import { Housekeeping } from '../src/housekeeping/housekeeping';
import { DocumentsWorld, startDocumentsWorld } from './documents.helpers';

/** What the housekeeping specs share: the documents world, its job, and small SQL helpers over its database. */
export interface HousekeepingWorld {
  w: DocumentsWorld;
  hk: Housekeeping;
  /** The retention the config has by default; restored after each test. */
  defaults: ReturnType<typeof loadConfig>['retention'];
  ago: (days: number) => Date;
  q: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;
  /** `count(*)` of `FROM <sql>`. */
  count: (sql: string, params?: unknown[]) => Promise<number>;
  exists: (table: string, column: string, id: unknown) => Promise<boolean>;
}

/**
 * Starts the world before the file's tests and closes it after them. The gateway runs with
 * role `api`, so the job only runs when a test calls it; its batches are small, so the loop
 * over batches is exercised.
 */
export function useHousekeepingWorld(): HousekeepingWorld {
  const h = {
    defaults: loadConfig({}).retention,
    ago: (days: number) => new Date(Date.now() - days * 86_400_000),
    q: <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => h.w.gw.ds.query(sql, params),
    count: async (sql: string, params: unknown[] = []) => Number((await h.q<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n),
    exists: async (table: string, column: string, id: unknown) => (await h.count(`${table} WHERE ${column} = $1`, [id])) === 1,
  } as HousekeepingWorld;

  beforeAll(async () => {
    h.w = await startDocumentsWorld({ timeScale: 60 });
    h.hk = h.w.gw.app.get(Housekeeping);
    h.hk.stop();
    h.hk.batchSize = 3; // several batches per table, so the loop is exercised
  });
  afterAll(async () => {
    await h.w?.close();
  });
  afterEach(() => {
    h.w.gw.config.retention = { ...h.defaults };
  });
  return h;
}
