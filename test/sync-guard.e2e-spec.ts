import { startPersonioSandbox, type PersonioSandbox } from '../connectors/personio/sandbox';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import { SyncService } from '../src/sync/sync.service';
import { startTestGateway, TestGateway } from './support/gateway';
import { fastSyncEnv, fastConnectors, waitForRun } from './support/sync';

// A failing upstream never deletes data: an HRIS that suddenly answers with no
// employees at all must not empty the store.
describe('sync deletion guard', () => {
  let gw: TestGateway;
  let sb: PersonioSandbox;

  beforeAll(async () => {
    sb = await startPersonioSandbox({ employees: 15, seed: 5, timeScale: 60 });
    gw = await startTestGateway({ env: fastSyncEnv() }, { connectors: fastConnectors() });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  const live = async (id: string) =>
    (await gw.ds.query(`SELECT count(*)::int AS n FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL`, [id]))[0].n as number;

  it('a full read with no employees while some are stored deletes nothing; a real shrink still deletes', async () => {
    const { integration, syncId } = await createIntegrationWithFirstSync(gw.ds, gw.config, {
      environment: gw.environmentId,
      tool: 'personio',
      organization: 'ACME',
      baseUrl: sb.url,
      credentials: { clientId: sb.defaultCredential.clientId, clientSecret: sb.defaultCredential.clientSecret },
    });
    expect((await waitForRun(gw.ds, syncId)).status).toBe('SUCCEEDED');
    expect(await live(integration.id)).toBe(15);

    const everyone = sb.employeeIds();
    everyone.forEach((id) => sb.remove(id));
    const sync = gw.app.get(SyncService);
    const empty = await waitForRun(gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(empty.status).toBe('PARTIALLY_FAILED');
    expect(empty.error).toMatch(/returned no employees although 15 are stored/);
    expect(await live(integration.id)).toBe(15);

    sb.hire({ first_name: 'Only', last_name: 'One' });
    const shrink = await waitForRun(gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(shrink.status).toBe('SUCCEEDED');
    expect(await live(integration.id)).toBe(1);
  });
});
