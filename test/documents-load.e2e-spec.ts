import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { UploadRateGate } from '../src/documents/upload-rate-gate';
import { certificatePdf, DocumentsWorld, startDocumentsWorld } from './documents.helpers';

/**
 * Many certificates at once for one integration: every one arrives exactly
 * once, Personio never sees more than 60 uploads in any minute, and with 30% of
 * uploads failing upstream each request ends accepted-once or with a clear
 * retriable error that a retry with the same Idempotency-Key resolves without
 * a duplicate. The simulator runs 60× fast, so its minute lasts one second.
 */
const TIME_SCALE = 60;
const MINUTE_MS = 60_000 / TIME_SCALE;

describe('document write-back under load', () => {
  let w: DocumentsWorld;

  beforeAll(async () => {
    w = await startDocumentsWorld({ timeScale: TIME_SCALE, employees: 20 });
  });
  afterAll(async () => {
    await w?.close();
  });

  const upload = (i: number, prefix: string) => {
    const ids = w.sandbox.employeeIds();
    return request(w.gw.url)
      .post(`/v1/hris/employees/${w.employeeId(ids[i % ids.length])}/documents`)
      .set(w.auth)
      .set('Idempotency-Key', `${prefix}-${i}`)
      .send({
        category_id: w.categoryId('Learning certificates'),
        title: `${prefix} course ${i}`,
        date: '2025-05-01',
        document: {
          name: `${prefix}-${i}.pdf`,
          content_type: 'application/pdf',
          data: certificatePdf(`${prefix} course ${i}`, '2025-05-01').toString('base64'),
        },
      });
  };

  /** Most upload calls Personio saw in any window of one (simulated) minute. */
  function maxUploadsPerMinute(): number {
    const times = w.sandbox
      .requestLog()
      .filter((e) => e.method === 'POST' && e.path.startsWith('/v1/company/documents'))
      .map((e) => e.at)
      .sort((a, b) => a - b);
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= MINUTE_MS) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  const titlesOf = (prefix: string) =>
    w.sandbox
      .uploadedDocuments()
      .map((d) => d.title)
      .filter((t) => t.startsWith(`${prefix} `));

  it('delivers 100 concurrent uploads exactly once, at most 60 per minute', async () => {
    const res = await Promise.all(Array.from({ length: 100 }, (_, i) => upload(i, 'calm')));
    expect(res.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const titles = titlesOf('calm');
    expect(titles).toHaveLength(100);
    expect(new Set(titles).size).toBe(100);
    expect(maxUploadsPerMinute()).toBeLessThanOrEqual(60);
    expect(w.sandbox.requestLog().filter((e) => e.status === 429)).toEqual([]);
  });

  it('with 30% of uploads failing, ends every request accepted-once or retriable, and retries with the key never duplicate', async () => {
    w.sandbox.setFaults({ uploadFailureRate: 0.3 });
    try {
      let pending = Array.from({ length: 100 }, (_, i) => i);
      const codes = new Set<string>();
      for (let round = 0; round < 12 && pending.length > 0; round++) {
        const res = await Promise.all(pending.map((i) => upload(i, 'flaky')));
        const failed = res.flatMap((r, k) => (r.status === 200 ? [] : [{ i: pending[k], r }]));
        for (const { r } of failed) {
          codes.add(r.body.error.code);
          expect([429, 503, 504]).toContain(r.status);
        }
        pending = failed.map((f) => f.i);
      }
      expect(pending).toEqual([]);
      expect([...codes].every((c) => ['REMOTE.SERVICE_UNAVAILABLE', 'REMOTE.RATE_LIMIT_EXCEEDED', 'PLATFORM.TASK_TIMED_OUT'].includes(c))).toBe(true);
    } finally {
      w.sandbox.resetFaults();
    }
    // Everything answered 200 at least once; asking again replays, never re-uploads.
    const again = await Promise.all(Array.from({ length: 100 }, (_, i) => upload(i, 'flaky')));
    expect(again.every((r) => r.status === 200 && r.headers['idempotent-replayed'] === 'true')).toBe(true);
    const titles = titlesOf('flaky');
    expect(titles).toHaveLength(100);
    expect(new Set(titles).size).toBe(100);
    expect(maxUploadsPerMinute()).toBeLessThanOrEqual(60);
  });
});

describe('the Postgres upload queue across processes', () => {
  it('never books more than perWindow slots in any window, for concurrent callers on separate connections', async () => {
    const w = await startDocumentsWorld({ employees: 10 });
    const extra: DataSource[] = [];
    try {
      // A second connection pool stands in for a second gateway process (a real server in DATABASE_URL mode).
      const options = w.gw.ds.options as { url?: string };
      if (process.env.DATABASE_URL && options.url) {
        const second = createDataSource(options.url, { embedded: false });
        await second.initialize();
        extra.push(second);
      }
      const gates = [new UploadRateGate(w.gw.ds), ...extra.map((ds) => new UploadRateGate(ds))];
      // Slots are booked ahead of time, so a long window costs the test nothing.
      const window = { perWindow: 10, windowMs: 5000 };
      const grants = await Promise.all(Array.from({ length: 60 }, (_, i) => gates[i % gates.length].reserve(w.integrationId, window, 60_000)));
      expect(grants.every((g) => g.granted)).toBe(true);
      const rows: Array<{ ms: number }> = await w.gw.ds.query(
        `SELECT (extract(epoch FROM slot_at) * 1000)::float8 AS ms FROM document_upload_slots WHERE integration_id = $1 ORDER BY slot_at`,
        [w.integrationId],
      );
      expect(rows).toHaveLength(60);
      for (let i = 0; i + window.perWindow < rows.length; i++) {
        expect(rows[i + window.perWindow].ms - rows[i].ms).toBeGreaterThanOrEqual(window.windowMs - 0.01);
      }
      // A caller that cannot wait that long gets no slot and books nothing.
      const refused = await gates[0].reserve(w.integrationId, window, 100);
      expect(refused).toMatchObject({ granted: false, retryAfterMs: expect.any(Number) });
      const count: Array<{ n: number }> = await w.gw.ds.query(`SELECT count(*)::int AS n FROM document_upload_slots WHERE integration_id = $1`, [
        w.integrationId,
      ]);
      expect(count[0].n).toBe(60);
    } finally {
      for (const ds of extra) await ds.destroy();
      await w.close();
    }
  });
});
