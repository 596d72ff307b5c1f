import request from 'supertest';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { markFirstSyncDone, Seeded, seedUnified } from './hris-seed';
import { startTestGateway, TestGateway } from './support/gateway';

/** The world of the HRIS read specs: a gateway, one Personio integration and 60 seeded employees. */
export interface HrisReadWorld {
  gw: TestGateway;
  integrationId: string;
  seeded: Seeded;
  /** GET as the environment's API key, for an integration (the seeded one unless named). */
  get: (path: string, integration?: string) => request.Test;
}

/**
 * Starts the world before the file's tests and closes it after them. `firstSyncDone` marks the
 * first sync finished at once (the spec that checks the 409 before it marks it itself).
 */
export function useHrisReadWorld(opts: { firstSyncDone?: boolean } = {}): HrisReadWorld {
  const w = {
    get: (path: string, integration = w.integrationId) =>
      request(w.gw.url).get(path).set('Authorization', `Bearer ${w.gw.apiKey}`).set('X-Integration-Id', integration),
  } as HrisReadWorld;

  beforeAll(async () => {
    w.gw = await startTestGateway();
    const integrations = w.gw.app.get(IntegrationsService);
    w.integrationId = (
      await integrations.create({
        environmentId: w.gw.environmentId,
        tool: 'personio',
        credentials: { clientId: 'a', clientSecret: 'b' },
        endUserOrganizationName: 'ACME',
      })
    ).id;
    w.seeded = await seedUnified(w.gw.ds, w.integrationId, { employees: 60 });
    if (opts.firstSyncDone) await markFirstSyncDone(w.gw.ds, w.integrationId);
  });
  afterAll(async () => {
    await w.gw?.close();
  });
  return w;
}
