import type { EntityManager } from 'typeorm';
import { ChangeSet, emptyResult, WriteResult } from './changes';

const result = (n: number, nested: string[]): WriteResult => ({
  counts: { created: n, updated: 0, deleted: 0, unchanged: 0 },
  changes: Array.from({ length: n }, (_, i) => ({ model: 'employees' as const, action: 'created' as const, id: `id${i}`, remote_id: `r${i}` })),
  nestedChangedIds: nested,
});

describe('ChangeSet', () => {
  it('keeps counts in write order and the change list in full', () => {
    const set = new ChangeSet();
    set.add('groups', result(1, []));
    set.add('employees', result(2, []));
    expect(set.counts.map(([m, c]) => [m, c.created])).toEqual([
      ['groups', 1],
      ['employees', 2],
    ]);
    expect(set.changes).toHaveLength(3);
  });

  it('hands nested ids to the propagation by what they are to an employee; categories show nowhere', async () => {
    const set = new ChangeSet();
    set.add('employees', result(0, ['mgr']));
    set.add('groups', result(0, ['g']));
    set.add('legal_entities', result(0, ['le']));
    set.add('locations', result(0, ['loc']));
    set.add('employments', result(0, ['emp-of']));
    set.add('employee_document_categories', result(0, ['cat']));
    const params: unknown[][] = [];
    const em = {
      query: async (_sql: string, p: unknown[]) => (params.push(p), [[{ id: 'e1', remote_id: 'r1', fields: ['manager'] }], 1]),
    } as unknown as EntityManager;
    await set.propagate(em, 'acme:i', new Date(0));
    expect(params[0].slice(0, 6)).toEqual(['acme:i', ['mgr'], ['g'], ['le'], ['loc'], ['emp-of']]);
    expect(set.changes).toEqual([{ model: 'employees', action: 'updated', id: 'e1', remote_id: 'r1', changed_fields: ['manager'] }]);
  });

  it('propagates nothing (and asks nothing) when no nested record changed', async () => {
    const set = new ChangeSet();
    set.add('employees', emptyResult());
    const em = {
      query: async () => {
        throw new Error('no query expected');
      },
    } as unknown as EntityManager;
    await expect(set.propagate(em, 'acme:i', new Date(0))).resolves.toBe(set);
  });
});
