// RunState feeds hgw_sync_records_total with committed counts only.
import { syncRecords } from '../metrics/metrics';
import { RunState } from './page-writer';

async function counted(model: string, action: string): Promise<number> {
  const m = await syncRecords.get();
  return m.values.find((v) => v.labels.model === model && v.labels.action === action)?.value ?? 0;
}

describe('RunState.countCommitted', () => {
  it('counts what changed since the last commit, once', async () => {
    const before = { created: await counted('groups', 'created'), updated: await counted('groups', 'updated') };
    const state = new RunState();
    state.add('groups', { created: 3, updated: 1, deleted: 0, unchanged: 7 });
    state.countCommitted();
    state.countCommitted();
    expect(await counted('groups', 'created')).toBe(before.created + 3);
    expect(await counted('groups', 'updated')).toBe(before.updated + 1);
    state.add('groups', { created: 2, updated: 0, deleted: 0, unchanged: 0 });
    state.countCommitted();
    expect(await counted('groups', 'created')).toBe(before.created + 5);
  });

  it('a page rolled back (restored) and written again counts once', async () => {
    const before = await counted('locations', 'created');
    const state = new RunState();
    const restore = state.snapshot();
    state.add('locations', { created: 4, updated: 0, deleted: 0, unchanged: 0 });
    restore();
    state.add('locations', { created: 3, updated: 0, deleted: 0, unchanged: 0 });
    state.countCommitted();
    expect(await counted('locations', 'created')).toBe(before + 3);
  });
});
