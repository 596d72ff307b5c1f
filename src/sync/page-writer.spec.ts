// What a page transaction counted stays counted only when it commits.
import type { DataSource, EntityManager } from 'typeorm';
import { inFencedTransaction, PageContext, RunState } from './page-writer';
import type { SyncRunsRepository } from './sync-runs.repository';

/** A page context whose transaction runs `fn` and then commits, or fails at commit. */
function context(commit: boolean): PageContext {
  const em = {} as EntityManager;
  const ds = {
    transaction: async <T>(fn: (em: EntityManager) => Promise<T>): Promise<T> => {
      const result = await fn(em);
      if (!commit) throw new Error('could not serialize access');
      return result;
    },
  } as unknown as DataSource;
  const runs = { heartbeat: async () => ({ alive: true, cancelRequested: false }) } as unknown as SyncRunsRepository;
  return { ds, runs, runId: 'r', workerId: 'w', integration: { id: 'i', environmentId: 'e', filters: {} }, state: new RunState() };
}

const countPage = (pc: PageContext) => async () => {
  pc.state.add('employees', { created: 2, updated: 1, deleted: 0, unchanged: 5 });
  pc.state.pages++;
};

describe('inFencedTransaction', () => {
  it('keeps what a committed transaction counted', async () => {
    const pc = context(true);
    await inFencedTransaction(pc, countPage(pc));
    expect(pc.state.totals()).toEqual({ created: 2, updated: 1, deleted: 0, unchanged: 5 });
    expect(pc.state.pages).toBe(1);
  });

  it('takes back what a transaction that rolled back counted, and rethrows', async () => {
    const pc = context(true);
    await inFencedTransaction(pc, countPage(pc));
    const failing = { ...pc, ds: context(false).ds };
    await expect(inFencedTransaction(failing, countPage(failing))).rejects.toThrow('could not serialize access');
    expect(pc.state.totals()).toEqual({ created: 2, updated: 1, deleted: 0, unchanged: 5 });
    expect(pc.state.counts.employees).toEqual({ created: 2, updated: 1, deleted: 0, unchanged: 5 });
    expect(pc.state.pages).toBe(1);
  });
});
