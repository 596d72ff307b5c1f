import request from 'supertest';
import { AttemptWindows } from '../src/common/attempt-windows';
import { randomId } from '../src/common/ids';
import { certificatePdf } from './documents.helpers';
import { useHousekeepingWorld } from './housekeeping.helpers';

/** Housekeeping of document uploads, connect links, dashboard sessions, attempt counters and change notifications (see housekeeping.e2e-spec.ts). */
describe('housekeeping (retention)', () => {
  const h = useHousekeepingWorld();
  const { ago, q, count, exists } = h;

  describe('document uploads', () => {
    const pdf = certificatePdf('Retention', '2025-06-01');
    const upload = (key: string) =>
      request(h.w.gw.url)
        .post(`/v1/hris/employees/${h.w.employeeId(h.w.sandbox.employeeIds()[0])}/documents`)
        .set(h.w.auth)
        .set('Idempotency-Key', key)
        .send({
          category_id: h.w.categoryId('Learning certificates'),
          document: { name: `${key}.pdf`, content_type: 'application/pdf', data: pdf.toString('base64') },
        });
    const age = (key: string, interval: string) =>
      q(`UPDATE document_uploads SET created_at = now() - $2::interval WHERE idempotency_key = $1`, [key, interval]);
    const byKey = (key: string) => count(`document_uploads WHERE idempotency_key = $1`, [key]);

    it('keeps an Idempotency-Key for 24 hours even at the shortest retention, then lets it go', async () => {
      h.w.gw.config.retention.documentUploadsDays = 1;
      const first = await upload('cert-retention-1').expect(200);
      const uploaded = h.w.sandbox.uploadedDocuments().length;
      await age('cert-retention-1', '23 hours');
      await h.hk.run();
      const again = await upload('cert-retention-1').expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(h.w.sandbox.uploadedDocuments().length).toBe(uploaded);

      await age('cert-retention-1', '25 hours');
      expect(await h.hk.run()).toMatchObject({ document_uploads: 1 });
      expect(await byKey('cert-retention-1')).toBe(0);
      await request(h.w.gw.url).get(`/v1/hris/document-uploads/${first.body.data.upload_id}`).set(h.w.auth).expect(404);
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
          [randomId(), h.w.integrationId, key, lease],
        );
      }
      expect(await h.hk.run()).toMatchObject({ document_uploads: 3 });
      expect(await Promise.all(['old-ok', 'old-failed', 'recent', 'in-progress', 'abandoned'].map(byKey))).toEqual([0, 0, 1, 1, 0]);
    });

    it('leaves uploads alone when RETENTION_DOCUMENT_UPLOADS_DAYS is 0', async () => {
      await upload('kept-forever').expect(200);
      await age('kept-forever', '1000 days');
      h.w.gw.config.retention.documentUploadsDays = 0;
      expect(await h.hk.run()).not.toHaveProperty('document_uploads');
      expect(await byKey('kept-forever')).toBe(1);
    });
  });

  describe('connect links, dashboard sessions and attempt counters', () => {
    const link = async (expiredDaysAgo: number) => {
      const res = await request(h.w.gw.url)
        .post('/v1/connect/create-link')
        .set({ Authorization: `Bearer ${h.w.gw.apiKey}` })
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
        h.w.gw.environmentId,
        h.w.integrationId,
        old,
        ago(8),
      ]);
      for (const [hash, expires] of [
        ['expired', ago(1)],
        ['live', ago(-1)],
      ] as const) {
        await q(`INSERT INTO dashboard_sessions (id_hash, environment_id, is_admin, csrf_key, expires_at) VALUES ($1, $2, true, 'k', $3)`, [
          hash,
          h.w.gw.environmentId,
          expires,
        ]);
      }
      expect(await h.hk.run()).toMatchObject({ connect_links: 1, activation_tokens: 1, dashboard_sessions: 1 });
      expect([await exists('connect_links', 'id', old), await exists('connect_links', 'id', recent), await exists('connect_links', 'id', open)]).toEqual([
        false,
        true,
        true,
      ]);
      expect([await exists('dashboard_sessions', 'id_hash', 'expired'), await exists('dashboard_sessions', 'id_hash', 'live')]).toEqual([false, true]);
    });

    it('deletes attempt counters whose window has ended', async () => {
      const attempts = h.w.gw.app.get(AttemptWindows);
      await attempts.hit('test:ended', 60_000);
      await attempts.hit('test:open', 60_000);
      await q(`UPDATE attempt_windows SET window_end = now() - interval '1 second' WHERE key = 'test:ended'`);
      expect(await h.hk.run()).toMatchObject({ attempt_windows: 1 });
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
          [h.w.integrationId, key, ago(30), processed],
        );
      }
      expect(await h.hk.run()).toMatchObject({ inbound_events: 1 });
      expect([
        await exists('inbound_events', 'dedupe_key', 'old'),
        await exists('inbound_events', 'dedupe_key', 'recent'),
        await exists('inbound_events', 'dedupe_key', 'waiting'),
      ]).toEqual([false, true, true]);
    });

    it('leaves links alone when RETENTION_CONNECT_LINKS_DAYS is 0', async () => {
      const old = await link(100);
      h.w.gw.config.retention.connectLinksDays = 0;
      expect(await h.hk.run()).not.toHaveProperty('connect_links');
      expect(await exists('connect_links', 'id', old)).toBe(true);
    });
  });
});
