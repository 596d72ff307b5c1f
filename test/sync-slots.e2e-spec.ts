// Run slots per kind: full syncs and light runs (deltas) have their own pools
// (SYNC_FULL_CONCURRENCY, SYNC_DELTA_CONCURRENCY), so a long full sync does not hold up
// the deltas of other integrations that come due meanwhile, and neither pool runs more
// than its limit. The connector holds each read at a gate the test opens.
import request from 'supertest';
import { startPersonioSandbox, type PersonioSandbox } from '../connectors/personio/sandbox';
import type { ConnectorContext, HrisConnector, ReadOptions } from '../connectors/connector';
import { SyncWorker } from '../src/sync/sync.worker';
import { startTestGateway, type TestGateway } from './support/gateway';
import { connectWithFirstSync } from './support/sync-world';
import { fastConnector, fastSyncEnv, TIME_SCALE, waitFor, waitForRun } from './support/sync';

const WAIT_MS = 25_000;

/** A gate reads wait at while it is shut; an abort (shutdown, cancel) ends the wait. */
class Gate {
  private waiting: (() => void)[] = [];
  private shut = false;
  close(): void {
    this.shut = true;
  }
  open(): void {
    this.shut = false;
    for (const w of this.waiting.splice(0)) w();
  }
  pass(signal: AbortSignal): Promise<void> {
    if (!this.shut) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }
}

type Kind = 'FULL' | 'DELTA';

describe('sync run slots per kind', () => {
  const gates: Record<Kind, Gate> = { FULL: new Gate(), DELTA: new Gate() };
  const reading: Record<Kind, number> = { FULL: 0, DELTA: 0 };
  const mostReading: Record<Kind, number> = { FULL: 0, DELTA: 0 };
  let sb: PersonioSandbox;
  let gw: TestGateway;
  const ids: string[] = [];

  beforeAll(async () => {
    sb = await startPersonioSandbox({ timeScale: TIME_SCALE, employees: 20, seed: 7 });
    const base = fastConnector() as HrisConnector<unknown>;
    const gated: HrisConnector<unknown> = {
      ...base,
      async *read(ctx: ConnectorContext<unknown>, opts?: ReadOptions) {
        const kind: Kind = opts?.since ? 'DELTA' : 'FULL';
        reading[kind]++;
        mostReading[kind] = Math.max(mostReading[kind], reading[kind]);
        try {
          await gates[kind].pass(ctx.signal);
          yield* base.read(ctx, opts);
        } finally {
          reading[kind]--;
        }
      },
    };
    gw = await startTestGateway({ env: fastSyncEnv({ SYNC_FULL_CONCURRENCY: '1', SYNC_DELTA_CONCURRENCY: '2' }) }, { connectors: { personio: gated } });
    for (let i = 0; i < 5; i++) ids.push((await connectWithFirstSync(gw, sb, { organization: `Org ${i}`, timeoutMs: WAIT_MS })).id);
  });
  afterAll(async () => {
    gates.FULL.open();
    gates.DELTA.open();
    await gw?.close();
    await sb?.close();
  });

  const statuses = async (runIds: string[]): Promise<string[]> =>
    ((await gw.ds.query(`SELECT status FROM sync_runs WHERE id = ANY($1) ORDER BY array_position($1, id)`, [runIds])) as { status: string }[]).map(
      (r) => r.status,
    );
  const forceFull = async (integrationId: string): Promise<string> =>
    (
      await request(gw.url)
        .post('/v1/force-sync')
        .set({ Authorization: `Bearer ${gw.apiKey}`, 'X-Integration-Id': integrationId })
        .send({ type: 'FULL' })
        .expect(200)
    ).body.data.sync_id;

  it('a long full sync does not hold up due deltas, and each kind stays within its limit', async () => {
    const [a, b, ...others] = ids;
    mostReading.FULL = mostReading.DELTA = 0;
    gates.FULL.close();
    gates.DELTA.close();

    // Two full syncs: one takes the only full slot and hangs; the other waits for it.
    const fullA = await forceFull(a);
    await waitFor(async () => reading.FULL === 1, WAIT_MS, 'the first full sync reading');
    const fullB = await forceFull(b);

    // Three deltas of other integrations come due: two slots, so two read and one waits.
    const since = (await gw.ds.query(`SELECT now()::text AS t`))[0].t as string;
    await gw.ds.query(`UPDATE sync_schedules SET next_delta_at = now() WHERE integration_id = ANY($1)`, [others]);
    gw.app.get(SyncWorker).wake();
    const deltas = await waitFor(
      async () => {
        const rows: { id: string }[] = await gw.ds.query(
          `SELECT id FROM sync_runs WHERE integration_id = ANY($1) AND trigger = 'SCHEDULE' AND type = 'DELTA' AND queued_at >= $2`,
          [others, since],
        );
        return rows.length === 3 && rows.map((r) => r.id);
      },
      WAIT_MS,
      'three scheduled deltas',
    );
    await waitFor(async () => reading.DELTA === 2, WAIT_MS, 'two deltas reading');
    // Several scheduler rounds (SYNC_POLL_MS is 100 ms) must not start a third delta or a second full sync.
    await new Promise((res) => setTimeout(res, 600));
    expect((await statuses(deltas)).sort()).toEqual(['QUEUED', 'RUNNING', 'RUNNING']);
    expect(await statuses([fullA, fullB])).toEqual(['RUNNING', 'QUEUED']);
    expect(reading).toEqual({ FULL: 1, DELTA: 2 });

    // The deltas finish while the full sync still hangs.
    gates.DELTA.open();
    for (const id of deltas) expect((await waitForRun(gw.ds, id, WAIT_MS)).status).toBe('SUCCEEDED');
    expect(await statuses([fullA, fullB])).toEqual(['RUNNING', 'QUEUED']);

    gates.FULL.open();
    expect((await waitForRun(gw.ds, fullA, WAIT_MS)).status).toBe('SUCCEEDED');
    expect((await waitForRun(gw.ds, fullB, WAIT_MS)).status).toBe('SUCCEEDED');
    expect(mostReading).toEqual({ FULL: 1, DELTA: 2 });
  });
});
