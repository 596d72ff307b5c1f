import { IntegrationsService } from '../src/integrations/integrations.service';
import { SyncRunsRepository } from '../src/sync/sync-runs.repository';
import { startTestGateway, TestGateway } from './support/gateway';

// A run's progress belongs to the worker that holds it: one whose run was taken over (its
// heartbeat went stale) must not write its counts over those of the new holder.
describe('sync run progress', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ role: 'api' }); // no worker of its own: this spec plays both workers
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('is saved only by the worker that holds the run', async () => {
    const integration = await gw.app.get(IntegrationsService).create({
      environmentId: gw.environmentId,
      tool: 'personio',
      credentials: { clientId: 'a', clientSecret: 'b' },
      endUserOrganizationName: 'ACME',
    });
    const runs = new SyncRunsRepository(gw.ds);
    const { run } = await runs.enqueue(integration.id, { type: 'FULL', trigger: 'MANUAL' });
    expect(await runs.claim(run.id, 'worker-a')).not.toBeNull();
    const progress = (pages: number) => ({ counts: {}, created: pages, updated: 0, deleted: 0, unchanged: 0, pages });
    await runs.saveProgress(run.id, 'worker-a', progress(3), gw.ds.manager);

    await gw.ds.query(`UPDATE sync_runs SET worker_id = 'worker-b' WHERE id = $1`, [run.id]); // taken over
    await runs.saveProgress(run.id, 'worker-b', progress(1), gw.ds.manager);
    await runs.saveProgress(run.id, 'worker-a', progress(7), gw.ds.manager); // the old holder, still running
    const [row] = await gw.ds.query(`SELECT pages, created FROM sync_runs WHERE id = $1`, [run.id]);
    expect(row).toEqual({ pages: 1, created: 1 });
  });
});
