// The floors the sync is measured against (bench/sync.ts), in the same process and run:
//  - fetch+parse: page through the simulator with keep-alive fetch and JSON.parse every page,
//    nothing else. What any reader of this API pays; the floor of a sync that changes nothing.
//  - COPY: the same, plus one streaming COPY of every raw employee into
//    (id text primary key, raw jsonb), compressed as the gateway compresses its own JSON (lz4
//    where the server has it). The floor of a first sync that stores what it read.
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface Sim {
  url: string;
  clientId: string;
  clientSecret: string;
}

interface Page {
  data: Array<{ attributes: { id?: { value?: unknown } } }>;
  metadata?: { total_elements?: number };
}

async function token(sim: Sim): Promise<string> {
  const res = await fetch(`${sim.url}/v1/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: sim.clientId, client_secret: sim.clientSecret }),
  });
  const body = (await res.json()) as { data: { token: string } };
  return body.data.token;
}

/** Every page of employees, `limit` per page, one request after the other (fetch keeps the connection alive). */
async function* pages(sim: Sim, limit = 100): AsyncGenerator<Page> {
  const headers = { authorization: `Bearer ${await token(sim)}` };
  for (let offset = 0; ; offset += limit) {
    const res = await fetch(`${sim.url}/v1/company/employees?limit=${limit}&offset=${offset}`, { headers });
    if (res.status !== 200) throw new Error(`simulator answered ${res.status}`);
    const page = JSON.parse(await res.text()) as Page;
    if (!page.data.length) return;
    yield page;
    if (offset + limit >= (page.metadata?.total_elements ?? 0)) return;
  }
}

const timed = (t0: number, employees: number, rows: number) => {
  const seconds = (performance.now() - t0) / 1000;
  return { seconds: +seconds.toFixed(2), employees_per_s: Math.round(employees / seconds), rows };
};

export async function fetchParseFloor(sim: Sim, employees: number) {
  const t0 = performance.now();
  let rows = 0;
  for await (const page of pages(sim)) rows += page.data.length;
  return timed(t0, employees, rows);
}

/** COPY text format: JSON has no raw tabs or newlines, only backslashes to double. */
const copyLine = (id: string, raw: unknown) => `${id}\t${JSON.stringify(raw).replace(/\\/g, '\\\\')}\n`;

export async function copyFloor(databaseUrl: string, sim: Sim, employees: number) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // The JSON compressed as the gateway's own tables compress it (lz4 where the server has it, migration UnifiedJsonLz4).
    const [{ lz4 }] = (
      await db.query(`SELECT coalesce(bool_or('lz4' = ANY(enumvals)), false) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`)
    ).rows;
    await db.query(`CREATE TABLE bench_copy_floor (id text PRIMARY KEY, raw jsonb ${lz4 ? 'COMPRESSION lz4 ' : ''}NOT NULL)`);
    const t0 = performance.now();
    const copy = db.query(copyFrom(`COPY bench_copy_floor (id, raw) FROM STDIN`));
    const finished = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    let rows = 0;
    for await (const page of pages(sim)) {
      const chunk = page.data.map((e) => copyLine(String(e.attributes.id?.value), e)).join('');
      rows += page.data.length;
      // Back-pressure: Postgres consumes while the next page is fetched, never more than a page behind.
      if (!copy.write(chunk)) await new Promise((r) => copy.once('drain', r));
    }
    copy.end();
    await finished;
    return timed(t0, employees, rows);
  } finally {
    await db.query(`DROP TABLE IF EXISTS bench_copy_floor`).catch(() => undefined);
    await db.end();
  }
}
