import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/config';
import type { CredentialVault } from '../integrations/vault';
import type { ClaimedDelivery } from './delivery.store';
import { DeliveryWorker } from './delivery.worker';
import { loadWebhookConfig } from './webhooks.config';

const delivery = (attempt: number): ClaimedDelivery => ({
  id: '1',
  attempt,
  firstAttemptAt: new Date(),
  eventId: 'evt_1',
  eventCreatedAt: new Date(),
  type: 'integration-created',
  data: {},
  endpointId: 'ep_1',
  url: 'https://lms.example/hooks',
  secret: 'sealed',
  previousSecret: null,
});

describe('DeliveryWorker', () => {
  it('claims again soon after a round that wrote results: that round’s claim skips the rows its own write holds locked', async () => {
    // The poll is a minute away: only the worker's own follow-up can find the row again in time.
    const worker = new DeliveryWorker(
      { subscribers: [] } as unknown as DataSource,
      { databaseUrl: null, role: 'all', allowPrivateNetworkTargets: false } as unknown as GatewayConfig,
      loadWebhookConfig({ WEBHOOK_POLL_MS: '60000' }),
      { open: (s: string) => s } as unknown as CredentialVault,
    );
    const sent: number[] = [];
    const claims: string[][] = [];
    const internals = worker as unknown as {
      sender: { send(): Promise<unknown> };
      store: { claim(w: string, n: number, p: number, l: number, finishing: string[]): Promise<ClaimedDelivery[]>; record(): Promise<void> };
    };
    internals.store = {
      // 1st round: the delivery. 2nd round: its result is written while the claim runs, and the row was
      // redelivered meanwhile; SKIP LOCKED passes over it. Later rounds: it is due again.
      async claim(_w, _n, _p, _l, finishing) {
        claims.push(finishing);
        if (claims.length === 1) return [delivery(1)];
        if (finishing.length) return [];
        return sent.length === 1 ? [delivery(2)] : [];
      },
      async record() {},
    };
    internals.sender = {
      send: async () => {
        sent.push(Date.now());
        return { statusCode: 200, latencyMs: 1, error: null, retryable: false };
      },
    };
    worker.start();
    try {
      for (const end = Date.now() + 2000; sent.length < 2 && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
      expect(sent).toHaveLength(2);
      expect(claims[1]).toEqual(['1']);
    } finally {
      await worker.stop();
    }
  });
});
