import { Client } from 'pg';
import request from 'supertest';
import { randomId } from '../src/common/ids';
import { ConfigError, loadConfig } from '../src/config/config';
import { CLI_COMMANDS } from '../src/cli.commands';
import { HOUSEKEEPING_LOCK, Housekeeping } from '../src/housekeeping/housekeeping';
import '../src/housekeeping/housekeeping.cli';
import { RETENTION_RULES } from '../src/housekeeping/retention-rules';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { useHousekeepingWorld } from './housekeeping.helpers';

/**
 * The housekeeping job over a real database: what is past its retention goes, what is
 * recent, latest, pending or disabled stays, deletes run in batches, and one process
 * at a time prunes. This file: configuration, sync runs, and how the job runs; webhook
 * events, uploads and links are in housekeeping-*.e2e-spec.ts.
 */
describe('housekeeping (retention)', () => {
  const h = useHousekeepingWorld();
  const { ago, defaults, q, count, exists } = h;

  describe('configuration', () => {
    it('defaults to 30 days of runs and webhook events, 90 of uploads, 7 past expiry for connect links', () => {
      expect(defaults).toEqual({ syncRunsDays: 30, webhookEventsDays: 30, documentUploadsDays: 90, connectLinksDays: 7 });
      expect(loadConfig({ RETENTION_SYNC_RUNS_DAYS: '0', RETENTION_WEBHOOK_EVENTS_DAYS: '14' }).retention).toMatchObject({
        syncRunsDays: 0,
        webhookEventsDays: 14,
      });
    });

    it('refuses an upload retention under a day (idempotency keys are kept 24 h) and non-numbers, naming the variable', () => {
      expect(() => loadConfig({ RETENTION_DOCUMENT_UPLOADS_DAYS: '0.5' })).toThrow(ConfigError);
      expect(() => loadConfig({ RETENTION_DOCUMENT_UPLOADS_DAYS: '0.5' })).toThrow(
        /RETENTION_DOCUMENT_UPLOADS_DAYS must be at least 1 \(an Idempotency-Key is remembered for at least 24 hours\)/,
      );
      expect(() => loadConfig({ RETENTION_SYNC_RUNS_DAYS: 'forever' })).toThrow(/RETENTION_SYNC_RUNS_DAYS must be a whole number/);
      expect(() => loadConfig({ RETENTION_CONNECT_LINKS_DAYS: '-1' })).toThrow(/RETENTION_CONNECT_LINKS_DAYS/);
    });
  });

  describe('sync runs', () => {
    let other: string;
    const run = async (integrationId: string, type: 'FULL' | 'DELTA', status: string, finishedDaysAgo: number | null) => {
      const id = randomId();
      const at = ago(finishedDaysAgo ?? 60);
      await q(
        `INSERT INTO sync_runs (id, integration_id, type, trigger, status, queued_at, started_at, heartbeat_at, finished_at)
         VALUES ($1, $2, $3, 'SCHEDULE', $4, $5, $5, $5, $6)`,
        [id, integrationId, type, status, at, finishedDaysAgo === null ? null : at],
      );
      return id;
    };

    beforeAll(async () => {
      other = (
        await h.w.gw.app.get(IntegrationsService).create({
          environmentId: h.w.gw.environmentId,
          tool: 'personio',
          credentials: { clientId: 'c', clientSecret: 's' },
          endUserOrganizationName: 'Quiet GmbH',
        })
      ).id;
    });

    it('deletes superseded runs past retention and keeps recent ones, running ones and the latest (successful) run of each type', async () => {
      const a = h.w.integrationId;
      const gone = [
        await run(a, 'FULL', 'SUCCEEDED', 60), // a newer successful FULL exists
        await run(a, 'FULL', 'FAILED', 50),
        ...(await Promise.all([39, 38, 37, 36, 35].map((d) => run(a, 'DELTA', 'FAILED', d)))),
        await run(other, 'DELTA', 'CANCELLED', 85), // superseded by the later failed DELTA below
      ];
      const kept = [
        await run(a, 'FULL', 'SUCCEEDED', 1), // recent
        await run(a, 'DELTA', 'SUCCEEDED', 40), // the latest successful DELTA, however old
        await run(a, 'DELTA', 'FAILED', 2), // recent (and the latest DELTA)
        await run(a, 'DELTA', 'RUNNING', null), // not finished, however old
        await run(other, 'FULL', 'SUCCEEDED', 100), // the latest successful FULL of an integration that has not synced for months
        await run(other, 'FULL', 'FAILED', 90), // its latest FULL
        await run(other, 'DELTA', 'FAILED', 80), // its latest DELTA
      ];

      const pruned = await h.hk.run();
      expect(pruned).toMatchObject({ sync_runs: gone.length });
      for (const id of gone) expect({ id, exists: await exists('sync_runs', 'id', id) }).toEqual({ id, exists: false });
      for (const id of kept) expect({ id, exists: await exists('sync_runs', 'id', id) }).toEqual({ id, exists: true });

      // The run history API still shows the integration's last runs.
      const listed = await request(h.w.gw.url)
        .get(`/v1/integrations/${other}/syncs`)
        .set({ Authorization: `Bearer ${h.w.gw.apiKey}` })
        .expect(200);
      expect(listed.body.data.results.map((r: { id: string }) => r.id).sort()).toEqual(kept.slice(4).sort());
      // A second run finds nothing more.
      expect((await h.hk.run())!.sync_runs).toBe(0);
    });

    it('leaves old runs alone when RETENTION_SYNC_RUNS_DAYS is 0', async () => {
      await run(h.w.integrationId, 'FULL', 'FAILED', 300);
      await run(h.w.integrationId, 'FULL', 'FAILED', 299);
      const before = await count('sync_runs');
      h.w.gw.config.retention.syncRunsDays = 0;
      const pruned = await h.hk.run();
      expect(pruned).not.toHaveProperty('sync_runs');
      expect(await count('sync_runs')).toBe(before);
    });
  });

  describe('running', () => {
    it('logs one line per run with the counts per table, and counts pruned rows in /metrics', async () => {
      await h.hk.run(); // what earlier tests left behind
      const from = h.w.gw.logs().length;
      await q(
        `INSERT INTO dashboard_sessions (id_hash, environment_id, is_admin, csrf_key, expires_at) VALUES ('metric', $1, true, 'k', now() - interval '1 hour')`,
        [h.w.gw.environmentId],
      );
      const metric = async () =>
        Number(/hgw_housekeeping_pruned_rows_total\{table="dashboard_sessions"\} (\d+)/.exec((await request(h.w.gw.url).get('/metrics')).text)?.[1] ?? 0);
      const before = await metric();
      await h.hk.run();
      const lines = h.w.gw
        .logs()
        .slice(from)
        .filter((l) => l.includes('housekeeping: old rows pruned'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]).pruned).toEqual({
        sync_runs: 0,
        webhook_events: 0,
        webhook_deliveries: 0,
        webhook_attempts: 0,
        document_uploads: 0,
        connect_links: 0,
        activation_tokens: 0,
        dashboard_sessions: 1,
        attempt_windows: 0,
        inbound_events: 0,
      });
      expect(await metric()).toBe(before + 1);
    });

    it('npm run cli -- housekeeping run prunes at once and reports the counts', async () => {
      await q(
        `INSERT INTO dashboard_sessions (id_hash, environment_id, is_admin, csrf_key, expires_at) VALUES ('cli', $1, true, 'k', now() - interval '1 hour')`,
        [h.w.gw.environmentId],
      );
      const cmd = CLI_COMMANDS.find((c) => c.matches('housekeeping', 'run'))!;
      const out: unknown[] = [];
      const code = await cmd.run({ ds: h.w.gw.ds, config: h.w.gw.config, args: [], options: { json: true }, out: (v) => out.push(v) });
      expect(code).toBe(0);
      expect(out).toEqual([{ pruned: expect.objectContaining({ dashboard_sessions: 1 }) }]);
      expect(await exists('dashboard_sessions', 'id_hash', 'cli')).toBe(false);
    });

    it('runs one pass at a time in a process', async () => {
      const results = await Promise.all([h.hk.run(), h.hk.run()]);
      expect(results.filter((r) => r === null)).toHaveLength(1);
    });

    const withServer = process.env.DATABASE_URL ? it : it.skip; // PGlite has one session, where advisory locks are re-entrant
    withServer('prunes in one process at a time across processes, through a Postgres advisory lock', async () => {
      await q(
        `INSERT INTO dashboard_sessions (id_hash, environment_id, is_admin, csrf_key, expires_at) VALUES ('locked', $1, true, 'k', now() - interval '1 hour')`,
        [h.w.gw.environmentId],
      );
      const other = new Client({ connectionString: h.w.gw.config.databaseUrl! });
      await other.connect();
      try {
        expect((await other.query(`SELECT pg_try_advisory_lock($1) AS locked`, [HOUSEKEEPING_LOCK])).rows[0].locked).toBe(true);
        expect(await h.hk.run()).toBeNull();
        expect(await exists('dashboard_sessions', 'id_hash', 'locked')).toBe(true);
        await other.query(`SELECT pg_advisory_unlock($1)`, [HOUSEKEEPING_LOCK]);
      } finally {
        await other.end();
      }
      // While this process prunes, a second process (its own job, its own connection) skips.
      let second: Awaited<ReturnType<Housekeeping['run']>> | undefined;
      RETENTION_RULES.push({
        table: 'probe',
        days: () => 0,
        batch: async () => {
          second = await new Housekeeping(h.w.gw.ds, h.w.gw.config).run();
          return { deleted: {}, more: false };
        },
      });
      try {
        expect(await h.hk.run()).toMatchObject({ dashboard_sessions: 1 });
      } finally {
        RETENTION_RULES.pop();
      }
      expect(second).toBeNull();
      expect(await exists('dashboard_sessions', 'id_hash', 'locked')).toBe(false);
    });
  });
});
