import { Client } from 'pg';
import request from 'supertest';
import { AttemptWindows } from '../src/common/attempt-windows';
import { randomId } from '../src/common/ids';
import { ConfigError, loadConfig } from '../src/config/config';
import { CLI_COMMANDS } from '../src/cli.commands';
import { HOUSEKEEPING_LOCK, Housekeeping } from '../src/housekeeping/housekeeping';
import '../src/housekeeping/housekeeping.cli';
import { RETENTION_RULES } from '../src/housekeeping/retention-rules';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { certificatePdf, DocumentsWorld, startDocumentsWorld } from './documents.helpers';

/**
 * The housekeeping job over a real database: what is past its retention goes, what is
 * recent, latest, pending or disabled stays, deletes run in batches, and one process
 * at a time prunes. The gateway runs with role `api`, so the job only runs when called.
 */
describe('housekeeping (retention)', () => {
  let w: DocumentsWorld;
  let hk: Housekeeping;
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
  const defaults = loadConfig({}).retention;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => w.gw.ds.query(sql, params);
  const count = async (sql: string, params: unknown[] = []) => Number((await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);
  const exists = async (table: string, column: string, id: unknown) => (await count(`${table} WHERE ${column} = $1`, [id])) === 1;

  beforeAll(async () => {
    w = await startDocumentsWorld({ timeScale: 60 });
    hk = w.gw.app.get(Housekeeping);
    hk.stop();
    hk.batchSize = 3; // several batches per table, so the loop is exercised
  });
  afterAll(async () => {
    await w?.close();
  });
  afterEach(() => {
    w.gw.config.retention = { ...defaults };
  });

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
        await w.gw.app.get(IntegrationsService).create({
          environmentId: w.gw.environmentId,
          tool: 'personio',
          credentials: { clientId: 'c', clientSecret: 's' },
          endUserOrganizationName: 'Quiet GmbH',
        })
      ).id;
    });

    it('deletes superseded runs past retention and keeps recent ones, running ones and the latest (successful) run of each type', async () => {
      const a = w.integrationId;
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

      const pruned = await hk.run();
      expect(pruned).toMatchObject({ sync_runs: gone.length });
      for (const id of gone) expect({ id, exists: await exists('sync_runs', 'id', id) }).toEqual({ id, exists: false });
      for (const id of kept) expect({ id, exists: await exists('sync_runs', 'id', id) }).toEqual({ id, exists: true });

      // The run history API still shows the integration's last runs.
      const listed = await request(w.gw.url)
        .get(`/v1/integrations/${other}/syncs`)
        .set({ Authorization: `Bearer ${w.gw.apiKey}` })
        .expect(200);
      expect(listed.body.data.results.map((r: { id: string }) => r.id).sort()).toEqual(kept.slice(4).sort());
      // A second run finds nothing more.
      expect((await hk.run())!.sync_runs).toBe(0);
    });

    it('leaves old runs alone when RETENTION_SYNC_RUNS_DAYS is 0', async () => {
      await run(w.integrationId, 'FULL', 'FAILED', 300);
      await run(w.integrationId, 'FULL', 'FAILED', 299);
      const before = await count('sync_runs');
      w.gw.config.retention.syncRunsDays = 0;
      const pruned = await hk.run();
      expect(pruned).not.toHaveProperty('sync_runs');
      expect(await count('sync_runs')).toBe(before);
    });
  });

  describe('webhook events', () => {
    let endpoints: string[];

    /** An event with one delivery per status given (to the endpoints in order), each delivery with `attempts` attempts. */
    const event = async (daysAgo: number, deliveries: ('pending' | 'succeeded' | 'failed' | 'in-flight')[], attempts = 2) => {
      const id = randomId();
      await q(`INSERT INTO webhook_events (id, environment_id, integration_id, type, data, created_at) VALUES ($1, $2, $3, 'data-changed', '{}', $4)`, [
        id,
        w.gw.environmentId,
        w.integrationId,
        ago(daysAgo),
      ]);
      for (const [i, status] of deliveries.entries()) {
        const [d] = await q<{ id: string }>(
          `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, completed_at, claimed_by, claimed_until, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [
            id,
            endpoints[i],
            status === 'in-flight' ? 'pending' : status,
            attempts,
            status === 'succeeded' || status === 'failed' ? ago(daysAgo) : null,
            status === 'in-flight' ? 'some-worker' : null,
            status === 'in-flight' ? new Date(Date.now() + 60_000) : null,
            ago(daysAgo),
          ],
        );
        for (let n = 1; n <= attempts; n++) {
          await q(`INSERT INTO webhook_attempts (delivery_id, attempt, worker, started_at, status_code, outcome) VALUES ($1, $2, 'w', $3, 500, $4)`, [
            d.id,
            n,
            ago(daysAgo),
            n === attempts && status !== 'pending' && status !== 'in-flight' ? status : 'retry',
          ]);
        }
      }
      return id;
    };
    const deliveriesOf = (eventId: string) => count(`webhook_deliveries WHERE event_id = $1`, [eventId]);
    const attemptsOf = (eventId: string) => count(`webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.event_id = $1`, [eventId]);

    beforeAll(async () => {
      endpoints = [];
      for (const path of ['/a', '/b']) {
        const res = await request(w.gw.url)
          .post('/v1/webhooks/endpoints')
          .set({ Authorization: `Bearer ${w.gw.apiKey}` })
          .send({ url: `http://127.0.0.1:9${path}` })
          .expect(201);
        endpoints.push(res.body.data.id);
      }
    });

    it('deletes old events whose deliveries all finished, with their deliveries and attempts; pending and in-flight ones stay whole', async () => {
      const delivered = await event(40, ['succeeded']);
      const mixed = await event(40, ['succeeded', 'failed']);
      const nobody = await event(40, []);
      const many = await Promise.all([45, 44, 43, 42].map((d) => event(d, ['failed'], 1)));
      const retrying = await event(40, ['succeeded', 'pending']);
      const inFlight = await event(40, ['in-flight']);
      const recent = await event(5, ['succeeded']);

      const pruned = await hk.run();
      expect(pruned).toMatchObject({ webhook_events: 7, webhook_deliveries: 7, webhook_attempts: 2 + 4 + 4 });
      for (const id of [delivered, mixed, nobody, ...many]) {
        expect({ id, event: await exists('webhook_events', 'id', id), deliveries: await deliveriesOf(id) }).toEqual({ id, event: false, deliveries: 0 });
      }
      for (const [id, deliveries] of [
        [retrying, 2],
        [inFlight, 1],
        [recent, 1],
      ] as const) {
        expect({ id, event: await exists('webhook_events', 'id', id), deliveries: await deliveriesOf(id), attempts: await attemptsOf(id) }).toEqual({
          id,
          event: true,
          deliveries,
          attempts: deliveries * 2,
        });
      }
      // The delivery log answers for what is kept, and 404 for what is gone.
      const auth = { Authorization: `Bearer ${w.gw.apiKey}` };
      await request(w.gw.url).get(`/v1/webhooks/events/${delivered}`).set(auth).expect(404);
      const kept = await request(w.gw.url).get(`/v1/webhooks/events/${retrying}`).set(auth).expect(200);
      expect(kept.body.data.attempts).toHaveLength(4);
    });

    const withServer = process.env.DATABASE_URL ? it : it.skip; // PGlite runs one transaction at a time: no race to stage
    withServer('a redelivery racing the prune of its event answers 404, not 500', async () => {
      const old = await event(40, ['succeeded']);
      const pruner = new Client({ connectionString: w.gw.config.databaseUrl! });
      await pruner.connect();
      try {
        // The prune has deleted the event but not committed: the redelivery still finds the
        // event, and its insert waits on the deleted row until the prune commits.
        await pruner.query('BEGIN');
        await pruner.query(`DELETE FROM webhook_attempts a USING webhook_deliveries d WHERE a.delivery_id = d.id AND d.event_id = $1`, [old]);
        await pruner.query(`DELETE FROM webhook_deliveries WHERE event_id = $1`, [old]);
        await pruner.query(`DELETE FROM webhook_events WHERE id = $1`, [old]);
        const redelivery = request(w.gw.url)
          .post(`/v1/webhooks/events/${old}/redeliver`)
          .set({ Authorization: `Bearer ${w.gw.apiKey}` })
          .then((r) => r);
        const pid = (await pruner.query(`SELECT pg_backend_pid() AS pid`)).rows[0].pid;
        for (let i = 0; i < 200; i++) {
          const waiting = await pruner.query(`SELECT 1 FROM pg_locks WHERE NOT granted AND pid <> $1 AND locktype IN ('transactionid', 'tuple')`, [pid]);
          if (waiting.rowCount) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        await pruner.query('COMMIT');
        const res = await redelivery;
        expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 404, code: 'PLATFORM.NOT_FOUND' });
        expect(res.body.error.message).toContain(old);
      } finally {
        await pruner.end();
      }
    });

    it('leaves webhook events alone when RETENTION_WEBHOOK_EVENTS_DAYS is 0', async () => {
      const old = await event(400, ['succeeded']);
      w.gw.config.retention.webhookEventsDays = 0;
      expect(await hk.run()).not.toHaveProperty('webhook_events');
      expect([await exists('webhook_events', 'id', old), await deliveriesOf(old), await attemptsOf(old)]).toEqual([true, 1, 2]);
    });
  });

  describe('document uploads', () => {
    const pdf = certificatePdf('Retention', '2025-06-01');
    const upload = (key: string) =>
      request(w.gw.url)
        .post(`/v1/hris/employees/${w.employeeId(w.sandbox.employeeIds()[0])}/documents`)
        .set(w.auth)
        .set('Idempotency-Key', key)
        .send({
          category_id: w.categoryId('Learning certificates'),
          document: { name: `${key}.pdf`, content_type: 'application/pdf', data: pdf.toString('base64') },
        });
    const age = (key: string, interval: string) =>
      q(`UPDATE document_uploads SET created_at = now() - $2::interval WHERE idempotency_key = $1`, [key, interval]);
    const byKey = (key: string) => count(`document_uploads WHERE idempotency_key = $1`, [key]);

    it('keeps an Idempotency-Key for 24 hours even at the shortest retention, then lets it go', async () => {
      w.gw.config.retention.documentUploadsDays = 1;
      const first = await upload('cert-retention-1').expect(200);
      const uploaded = w.sandbox.uploadedDocuments().length;
      await age('cert-retention-1', '23 hours');
      await hk.run();
      const again = await upload('cert-retention-1').expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(w.sandbox.uploadedDocuments().length).toBe(uploaded);

      await age('cert-retention-1', '25 hours');
      expect(await hk.run()).toMatchObject({ document_uploads: 1 });
      expect(await byKey('cert-retention-1')).toBe(0);
      await request(w.gw.url).get(`/v1/hris/document-uploads/${first.body.data.upload_id}`).set(w.auth).expect(404);
    });

    it('deletes finished uploads past retention, keeps recent ones and ones still in progress', async () => {
      for (const key of ['old-ok', 'old-failed', 'recent']) await upload(key).expect(200);
      await q(`UPDATE document_uploads SET status = 'FAILED' WHERE idempotency_key = 'old-failed'`);
      await age('old-ok', '91 days');
      await age('old-failed', '120 days');
      await age('recent', '89 days');
      // Still uploading (lease running) and abandoned long ago (lease over for days).
      for (const [key, lease] of [
        ['in-progress', '1 minute'],
        ['abandoned', '-2 days'],
      ]) {
        await q(
          `INSERT INTO document_uploads (id, integration_id, employee_id, category_id, file_name, source, idempotency_key, request_hash, status, lease_expires_at, created_at)
           VALUES ($1, $2, 'e', 'c', 'f.pdf', 'data', $3, 'h', 'PENDING', now() + $4::interval, now() - interval '100 days')`,
          [randomId(), w.integrationId, key, lease],
        );
      }
      expect(await hk.run()).toMatchObject({ document_uploads: 3 });
      expect(await Promise.all(['old-ok', 'old-failed', 'recent', 'in-progress', 'abandoned'].map(byKey))).toEqual([0, 0, 1, 1, 0]);
    });

    it('leaves uploads alone when RETENTION_DOCUMENT_UPLOADS_DAYS is 0', async () => {
      await upload('kept-forever').expect(200);
      await age('kept-forever', '1000 days');
      w.gw.config.retention.documentUploadsDays = 0;
      expect(await hk.run()).not.toHaveProperty('document_uploads');
      expect(await byKey('kept-forever')).toBe(1);
    });
  });

  describe('connect links, dashboard sessions and attempt counters', () => {
    const link = async (expiredDaysAgo: number) => {
      const res = await request(w.gw.url)
        .post('/v1/connect/create-link')
        .set({ Authorization: `Bearer ${w.gw.apiKey}` })
        .send({ end_user_email: 'hr@acme.example', end_user_organization_name: 'ACME GmbH', integration_tool: 'personio' })
        .expect(200);
      const [row] = await q<{ id: string }>(`SELECT id FROM connect_links ORDER BY created_at DESC LIMIT 1`);
      expect(res.body.data.link).toBeTruthy();
      await q(`UPDATE connect_links SET expires_at = $2 WHERE id = $1`, [row.id, ago(expiredDaysAgo)]);
      return row.id;
    };

    it('deletes links expired more than 7 days ago with their activation tokens, and expired dashboard sessions', async () => {
      const old = await link(8);
      const recent = await link(6);
      const open = await link(-1);
      await q(`INSERT INTO activation_tokens (token_hash, environment_id, integration_id, link_id, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
        randomId(40),
        w.gw.environmentId,
        w.integrationId,
        old,
        ago(8),
      ]);
      for (const [hash, expires] of [
        ['expired', ago(1)],
        ['live', ago(-1)],
      ] as const) {
        await q(`INSERT INTO dashboard_sessions (id_hash, environment_id, is_admin, csrf_key, expires_at) VALUES ($1, $2, true, 'k', $3)`, [
          hash,
          w.gw.environmentId,
          expires,
        ]);
      }
      expect(await hk.run()).toMatchObject({ connect_links: 1, activation_tokens: 1, dashboard_sessions: 1 });
      expect([await exists('connect_links', 'id', old), await exists('connect_links', 'id', recent), await exists('connect_links', 'id', open)]).toEqual([
        false,
        true,
        true,
      ]);
      expect([await exists('dashboard_sessions', 'id_hash', 'expired'), await exists('dashboard_sessions', 'id_hash', 'live')]).toEqual([false, true]);
    });

    it('deletes attempt counters whose window has ended', async () => {
      const attempts = w.gw.app.get(AttemptWindows);
      await attempts.hit('test:ended', 60_000);
      await attempts.hit('test:open', 60_000);
      await q(`UPDATE attempt_windows SET window_end = now() - interval '1 second' WHERE key = 'test:ended'`);
      expect(await hk.run()).toMatchObject({ attempt_windows: 1 });
      expect([await exists('attempt_windows', 'key', 'test:ended'), await exists('attempt_windows', 'key', 'test:open')]).toEqual([false, true]);
    });

    it('deletes change notifications re-read more than 7 days ago; waiting ones stay whatever their age', async () => {
      for (const [key, processed] of [
        ['old', ago(8)],
        ['recent', ago(6)],
        ['waiting', null],
      ] as const) {
        await q(
          `INSERT INTO inbound_events (integration_id, dedupe_key, event_name, person_ids, received_at, processed_at) VALUES ($1, $2, 'person.updated', '{1}', $3, $4)`,
          [w.integrationId, key, ago(30), processed],
        );
      }
      expect(await hk.run()).toMatchObject({ inbound_events: 1 });
      expect([
        await exists('inbound_events', 'dedupe_key', 'old'),
        await exists('inbound_events', 'dedupe_key', 'recent'),
        await exists('inbound_events', 'dedupe_key', 'waiting'),
      ]).toEqual([false, true, true]);
    });

    it('leaves links alone when RETENTION_CONNECT_LINKS_DAYS is 0', async () => {
      const old = await link(100);
      w.gw.config.retention.connectLinksDays = 0;
      expect(await hk.run()).not.toHaveProperty('connect_links');
      expect(await exists('connect_links', 'id', old)).toBe(true);
    });
  });

  describe('running', () => {
    it('logs one line per run with the counts per table, and counts pruned rows in /metrics', async () => {
      await hk.run(); // what earlier tests left behind
      const from = w.gw.logs().length;
      await q(
        `INSERT INTO dashboard_sessions (id_hash, environment_id, is_admin, csrf_key, expires_at) VALUES ('metric', $1, true, 'k', now() - interval '1 hour')`,
        [w.gw.environmentId],
      );
      const metric = async () =>
        Number(/hgw_housekeeping_pruned_rows_total\{table="dashboard_sessions"\} (\d+)/.exec((await request(w.gw.url).get('/metrics')).text)?.[1] ?? 0);
      const before = await metric();
      await hk.run();
      const lines = w.gw
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
        [w.gw.environmentId],
      );
      const cmd = CLI_COMMANDS.find((c) => c.matches('housekeeping', 'run'))!;
      const out: unknown[] = [];
      const code = await cmd.run({ ds: w.gw.ds, config: w.gw.config, args: [], options: { json: true }, out: (v) => out.push(v) });
      expect(code).toBe(0);
      expect(out).toEqual([{ pruned: expect.objectContaining({ dashboard_sessions: 1 }) }]);
      expect(await exists('dashboard_sessions', 'id_hash', 'cli')).toBe(false);
    });

    it('runs one pass at a time in a process', async () => {
      const results = await Promise.all([hk.run(), hk.run()]);
      expect(results.filter((r) => r === null)).toHaveLength(1);
    });

    const withServer = process.env.DATABASE_URL ? it : it.skip; // PGlite has one session, where advisory locks are re-entrant
    withServer('prunes in one process at a time across processes, through a Postgres advisory lock', async () => {
      await q(
        `INSERT INTO dashboard_sessions (id_hash, environment_id, is_admin, csrf_key, expires_at) VALUES ('locked', $1, true, 'k', now() - interval '1 hour')`,
        [w.gw.environmentId],
      );
      const other = new Client({ connectionString: w.gw.config.databaseUrl! });
      await other.connect();
      try {
        expect((await other.query(`SELECT pg_try_advisory_lock($1) AS locked`, [HOUSEKEEPING_LOCK])).rows[0].locked).toBe(true);
        expect(await hk.run()).toBeNull();
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
          second = await new Housekeeping(w.gw.ds, w.gw.config).run();
          return { deleted: {}, more: false };
        },
      });
      try {
        expect(await hk.run()).toMatchObject({ dashboard_sessions: 1 });
      } finally {
        RETENTION_RULES.pop();
      }
      expect(second).toBeNull();
      expect(await exists('dashboard_sessions', 'id_hash', 'locked')).toBe(false);
    });
  });
});
