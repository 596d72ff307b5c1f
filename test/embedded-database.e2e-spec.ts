import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../src/database/embedded';

// The embedded database serves many pool connections over one PGlite; these are the
// access patterns the gateway's sync, API and workers produce at the same time.
describe('embedded Postgres (PGlite over the wire protocol)', () => {
  let pg: EmbeddedPostgres;
  let pool: Pool;

  beforeAll(async () => {
    pg = await startEmbeddedPostgres(null);
    pool = new Pool({ connectionString: pg.url, max: 8 });
    await pool.query('CREATE TABLE t (id int PRIMARY KEY, a text, b text, c text)');
  });
  afterAll(async () => {
    await pool?.end();
    await pg?.stop();
  });

  it('keeps concurrent parameterised queries from different connections apart', async () => {
    const queries = Array.from({ length: 300 }, (_, i) => {
      switch (i % 3) {
        case 0:
          return pool.query('SELECT $1::int AS x', [i]).then((r) => expect(r.rows[0].x).toBe(i));
        case 1:
          return pool.query('SELECT $1::int + $2::int AS x', [i, 1]).then((r) => expect(r.rows[0].x).toBe(i + 1));
        default:
          return pool.query('SELECT $1::text || $2::text || $3::text AS x', ['a', String(i), 'c']).then((r) => expect(r.rows[0].x).toBe(`a${i}c`));
      }
    });
    await Promise.all(queries);
  });

  it('runs transactions from several connections one at a time, with their statements intact', async () => {
    const tx = async (n: number) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query('INSERT INTO t (id, a, b, c) VALUES ($1, $2, $3, $4)', [n, 'a', 'b', 'c']);
        await c.query('UPDATE t SET a = $2 WHERE id = $1', [n, `a${n}`]);
        if (n % 5 === 0) throw new Error('roll back');
        await c.query('COMMIT');
      } catch {
        await c.query('ROLLBACK');
      } finally {
        c.release();
      }
    };
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => tx(i + 1)),
      ...Array.from({ length: 40 }, (_, i) => pool.query('SELECT count(*) FROM t WHERE id > $1', [i])),
    ]);
    const { rows } = await pool.query('SELECT id, a FROM t ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1).filter((n) => n % 5 !== 0));
    expect(rows.every((r) => r.a === `a${r.id}`)).toBe(true);
  });

  it('listens on a Unix socket in a 0700 directory only (PGlite has no passwords), removed at stop', async () => {
    const dir = new URL(pg.url).searchParams.get('host')!;
    expect(path.isAbsolute(dir)).toBe(true);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(dir)).toEqual(['.s.PGSQL.5432']);
    const other = await startEmbeddedPostgres(null);
    const otherDir = new URL(other.url).searchParams.get('host')!;
    expect(otherDir).not.toBe(dir);
    await other.stop();
    expect(fs.existsSync(otherDir)).toBe(false);
  });
});
