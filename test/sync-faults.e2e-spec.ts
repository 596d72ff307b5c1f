import { startPersonioSandbox, type PersonioSandbox, type SandboxFaults } from '../connectors/personio/sandbox';
import { SyncService } from '../src/sync/sync.service';
import { startTestGateway, TestGateway } from './support/gateway';
import { connectWithFirstSync } from './support/sync-world';
import { expectConverged, fastSyncEnv, fastConnectors, waitForRun } from './support/sync';

/**
 * With the simulator's faults switched on, every sync either converges exactly or
 * fails cleanly: nothing missing, nothing duplicated, nothing falsely deleted.
 */
describe('sync under upstream faults', () => {
  let gw: TestGateway;
  let sb: PersonioSandbox;
  let integrationId: string;

  beforeAll(async () => {
    // Retries are not what this file is about: keep the automatic ones out of the way.
    sb = await startPersonioSandbox({ employees: 210, seed: 5, timeScale: 60 });
    gw = await startTestGateway(
      { env: fastSyncEnv({ SYNC_RETRY_BASE_MS: '600000', SYNC_RETRY_MAX_MS: '600000' }) },
      { connectors: fastConnectors({ maxAttempts: 6 }) },
    );
    integrationId = (await connectWithFirstSync(gw, sb, { organization: 'Faulty GmbH', timeoutMs: 60_000 })).id;
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  /** The invariants a failed sync must keep: no duplicates, and only records gone from the HRIS are marked deleted. */
  async function expectCleanState(): Promise<void> {
    const simIds = new Set(sb.employeeIds().map(String));
    const rows: { remote_id: string; deleted: boolean }[] = await gw.ds.query(
      `SELECT remote_id, remote_deleted_at IS NOT NULL AS deleted FROM hris_employees WHERE integration_id = $1`,
      [integrationId],
    );
    expect(new Set(rows.map((r) => r.remote_id)).size).toBe(rows.length);
    expect(rows.filter((r) => r.deleted && simIds.has(r.remote_id)).map((r) => r.remote_id)).toEqual([]);
  }

  const transport: Partial<SandboxFaults> = { serverErrorRate: 0.1, resetRate: 0.05, truncatedJsonRate: 0.05, rateLimitBurst: 3, revokeTokensAfterRequests: 3 };
  const faultSets: [string, Partial<SandboxFaults>][] = [
    ['5xx, resets, truncated JSON, 429 bursts, token revocation', transport],
    ['all of those plus hires shifting records between pages', { ...transport, shiftRecordsBetweenPages: 'insert' }],
    ['all of those plus deletions shifting records between pages', { ...transport, shiftRecordsBetweenPages: 'delete' }],
  ];

  it.each(faultSets)('%s: converges exactly or fails cleanly, then converges once the faults stop', async (_, faults) => {
    const before = sb.employeeIds().length;
    sb.setFaults(faults);
    let run;
    try {
      const { sync_id } = await gw.app.get(SyncService).requestSync(integrationId, { type: 'FULL', trigger: 'MANUAL' });
      run = await waitForRun(gw.ds, sync_id, 45_000);
    } finally {
      sb.resetFaults();
    }
    // PARTIALLY_FAILED: employees read fine but the document categories did not; it deletes nothing either.
    expect(['SUCCEEDED', 'FAILED', 'PARTIALLY_FAILED']).toContain(run.status);
    if (run.status === 'SUCCEEDED') await expectConverged(gw.ds, sb, integrationId);
    else {
      expect(run.deleted).toBe(0);
      expect(run.error).toEqual(expect.any(String));
      await expectCleanState();
    }
    if (faults.shiftRecordsBetweenPages) expect(sb.employeeIds().length).not.toBe(before);
    const { sync_id } = await gw.app.get(SyncService).requestSync(integrationId, { type: 'FULL', trigger: 'MANUAL' });
    expect((await waitForRun(gw.ds, sync_id, 60_000)).status).toBe('SUCCEEDED');
    await expectConverged(gw.ds, sb, integrationId);
  });
});
