import type { EntityManager } from 'typeorm';
import type { IntegrationEntity } from './integration.entity';
import { endUserOf, integrationStateChangedData, transition } from './lifecycle';

function integration(over: Partial<IntegrationEntity> = {}): IntegrationEntity {
  return {
    id: 'personio:abc',
    environmentId: 'env_1',
    tool: 'personio',
    category: 'HRIS',
    status: 'ACTIVE',
    setupStatus: 'COMPLETED',
    endUserOrganizationName: 'Acme',
    endUserEmail: 'it@acme.example',
    endUserOriginId: 'o-1',
    statusReason: null,
    firstSyncCompletedAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  } as IntegrationEntity;
}

/** An EntityManager that records the statements it is given and answers none of them with rows. */
function recordingEm() {
  const calls: { sql: string; params: unknown[] }[] = [];
  const em = { query: async (sql: string, params: unknown[] = []) => (calls.push({ sql, params }), []) } as unknown as EntityManager;
  return { em, calls };
}

describe('endUserOf', () => {
  it("is Kombo's end_user object", () => {
    expect(endUserOf(integration())).toEqual({ organization_name: 'Acme', creator_email: 'it@acme.example', origin_id: 'o-1' });
  });
});

describe('integrationStateChangedData', () => {
  const at = new Date('2026-02-03T04:05:06Z');

  it('carries the state, the setup status and the time of the change', () => {
    expect(integrationStateChangedData(integration({ status: 'INVALID' }), at)).toEqual({
      integration_tool: 'personio',
      integration_id: 'personio:abc',
      integration_category: 'HRIS',
      end_user: { organization_name: 'Acme', creator_email: 'it@acme.example', origin_id: 'o-1' },
      qa_status: 'PASSED',
      setup_status: 'COMPLETED',
      state: 'INVALID',
      updated_at: '2026-02-03T04:05:06.000Z',
    });
  });

  it('derives qa_status from the setup status: PASSED once setup completed, PENDING before', () => {
    expect(integrationStateChangedData(integration({ setupStatus: 'FINAL_SYNC_PENDING' }), at).qa_status).toBe('PENDING');
    expect(integrationStateChangedData(integration({ setupStatus: 'INCOMPLETE' }), at).qa_status).toBe('PENDING');
    expect(integrationStateChangedData(integration({ setupStatus: 'COMPLETED' }), at).qa_status).toBe('PASSED');
  });
});

describe('transition', () => {
  const at = new Date('2026-02-03T04:05:06Z');

  it('stores the new state and enqueues integration-state-changed in the same transaction', async () => {
    const { em, calls } = recordingEm();
    const i = integration();
    expect(await transition(em, i, { status: 'INVALID', statusReason: 'revoked' }, at)).toBe(true);
    expect(i).toMatchObject({ status: 'INVALID', statusReason: 'revoked', updatedAt: at });
    expect(calls[0].sql).toMatch(/^UPDATE integrations SET status = \$2/);
    expect(calls[0].params).toEqual(['personio:abc', 'INVALID', 'revoked', 'COMPLETED', i.firstSyncCompletedAt, at]);
    const event = calls.find((c) => c.sql.startsWith('INSERT INTO webhook_events'))!;
    expect(event.params.slice(1, 4)).toEqual(['env_1', 'personio:abc', 'integration-state-changed']);
    expect(JSON.parse(event.params[4] as string)).toEqual(integrationStateChangedData(i, at));
  });

  it('a setup status change alone is a transition too', async () => {
    const { em, calls } = recordingEm();
    const i = integration({ setupStatus: 'FINAL_SYNC_PENDING', firstSyncCompletedAt: null });
    expect(await transition(em, i, { setupStatus: 'COMPLETED', firstSyncCompletedAt: at }, at)).toBe(true);
    expect(calls[0].params).toEqual(['personio:abc', 'ACTIVE', null, 'COMPLETED', at, at]);
  });

  it('stores a change of another field alone, without an event (the state did not move)', async () => {
    const { em, calls } = recordingEm();
    const i = integration({ firstSyncCompletedAt: null });
    expect(await transition(em, i, { setupStatus: 'COMPLETED', firstSyncCompletedAt: at }, at)).toBe(false);
    expect(calls).toHaveLength(1);
    expect(calls[0].params).toEqual(['personio:abc', 'ACTIVE', null, 'COMPLETED', at, at]);
  });

  it('writes and sends nothing when neither status nor setup status moves', async () => {
    const { em, calls } = recordingEm();
    const i = integration();
    expect(await transition(em, i, { status: 'ACTIVE', setupStatus: 'COMPLETED' }, at)).toBe(false);
    expect(calls).toEqual([]);
  });
});
