import { createHmac } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { Kombo } from '@kombo-api/sdk';
import { dataChangedWebhookPayloadFromJSON } from '@kombo-api/sdk/models';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { enqueueEvent, flushDataChanged, recordChanges } from '../src/webhooks/outbox';
import { DeliveryWorker } from '../src/webhooks/delivery.worker';
import { startTestGateway, TestGateway } from './support/gateway';
import { startWebhookReceiver, WebhookReceiver } from './support/webhook-receiver';

// Short retry schedule and poll interval, given to each gateway this file starts.
const WEBHOOK_ENV = {
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_TIMEOUT_MS: '400',
  WEBHOOK_LEASE_MS: '1500',
  WEBHOOK_RETRY_BASE_MS: '40',
  WEBHOOK_RETRY_MAX_DELAY_MS: '150',
  WEBHOOK_RETRY_WINDOW_MS: '1200',
};

/** Kombo's scheme, written independently of src/webhooks/signing.ts. */
const komboSig = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

describe('webhooks', () => {
  let gw: TestGateway;
  let rx: WebhookReceiver;
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });
  const api = () => request(gw.url);

  async function endpoint(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
    const res = await api().post('/v1/webhooks/endpoints').set(auth()).send(body).expect(201);
    return res.body.data;
  }
  async function emit(type: string, data: unknown = {}, integrationId: string | null = null): Promise<string> {
    const id = await gw.ds.transaction((em) => enqueueEvent(em, { environmentId: gw.environmentId, integrationId, type, data }));
    gw.app.get(DeliveryWorker).nudge();
    return id;
  }
  async function clearEndpoints() {
    await gw.ds.query('DELETE FROM webhook_endpoints');
    rx.received.length = 0;
    rx.setReaction(() => 200);
  }

  beforeAll(async () => {
    gw = await startTestGateway({ env: WEBHOOK_ENV });
    rx = await startWebhookReceiver();
  });
  afterAll(async () => {
    await gw?.close();
    await rx?.close();
  });
  afterEach(clearEndpoints);

  describe('endpoint API', () => {
    it('shows the secret once, stores it encrypted and never logs it', async () => {
      const created = await endpoint({ url: rx.url, description: 'lms', events: ['data-changed'] });
      expect(created.secret).toMatch(/^whsec_[1-9A-HJ-NP-Za-km-z]{40}$/);
      const list = await api().get('/v1/webhooks/endpoints').set(auth()).expect(200);
      expect(list.body.data.results).toEqual([
        expect.objectContaining({ id: created.id, url: rx.url, events: ['data-changed'], record_events: false, enabled: true }),
      ]);
      const one = await api().get(`/v1/webhooks/endpoints/${created.id}`).set(auth()).expect(200);
      expect(JSON.stringify([list.body, one.body])).not.toContain(created.secret);
      const rows = await gw.ds.query('SELECT * FROM webhook_endpoints');
      expect(JSON.stringify(rows)).not.toContain(created.secret.slice(6));
      await emit('data-changed', { x: 1 });
      await rx.waitFor((r) => r.length === 1);
      expect(gw.logs().join('\n')).not.toContain(created.secret.slice(6));
    });

    it('updates and deletes; refuses unknown event types and fields by name', async () => {
      const { id } = await endpoint({ url: rx.url });
      const upd = await api()
        .patch(`/v1/webhooks/endpoints/${id}`)
        .set(auth())
        .send({ events: ['integration-created'], record_events: true, enabled: false })
        .expect(200);
      expect(upd.body.data).toMatchObject({ events: ['integration-created'], record_events: true, enabled: false });
      const bad = await api()
        .post('/v1/webhooks/endpoints')
        .set(auth())
        .send({ url: rx.url, events: ['nope'] })
        .expect(400);
      expect(bad.body.error.message).toMatch(/events/);
      const extra = await api().post('/v1/webhooks/endpoints').set(auth()).send({ url: rx.url, colour: 'red' }).expect(400);
      expect(extra.body.error.message).toMatch(/colour/);
      await api().delete(`/v1/webhooks/endpoints/${id}`).set(auth()).expect(200);
      await api().get(`/v1/webhooks/endpoints/${id}`).set(auth()).expect(404);
    });

    it("answers 404 for another environment's endpoints and events", async () => {
      const { id } = await endpoint({ url: rx.url });
      const eventId = await emit('integration-created', {});
      const keys = gw.app.get(ApiKeysService);
      await keys.createEnvironment('other');
      const { key } = await keys.createKey('other');
      const other = { Authorization: `Bearer ${key}` };
      for (const path of [`/v1/webhooks/endpoints/${id}`, `/v1/webhooks/events/${eventId}`]) {
        const res = await api().get(path).set(other).expect(404);
        expect(res.body.error.code).toBe('PLATFORM.NOT_FOUND');
      }
      await api().post(`/v1/webhooks/endpoints/${id}/rotate-secret`).set(other).expect(404);
      await api().post(`/v1/webhooks/events/${eventId}/redeliver`).set(other).expect(404);
      expect((await api().get('/v1/webhooks/endpoints').set(other).expect(200)).body.data.results).toEqual([]);
    });
  });

  describe('signatures and payloads', () => {
    it('signs with X-Kombo-Signature and Standard Webhooks headers that verify independently', async () => {
      const { secret } = await endpoint({ url: rx.url });
      const id = await emit('data-changed', { integration_id: 'personio:x', changed_models: [{ name: 'hris_employees' }] });
      await rx.waitFor((r) => r.length === 1);
      const [hook] = rx.received;
      expect(hook.json).toEqual({ id, type: 'data-changed', data: { integration_id: 'personio:x', changed_models: [{ name: 'hris_employees' }] } });
      expect(hook.headers['x-kombo-signature']).toBe(komboSig(secret, hook.body));
      expect(hook.headers['x-kombo-signature']).not.toMatch(/[=+/]/);
      expect(hook.headers['webhook-id']).toBe(id);
      expect(new Webhook(secret).verify(hook.body, hook.headers)).toEqual(hook.json);
      // Replay protection: the same request five minutes later no longer verifies.
      const old = { ...hook.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 600) };
      expect(() => new Webhook(secret).verify(hook.body, old)).toThrow();
      expect(() => new Webhook(secret).verify(hook.body.replace('x', 'y'), hook.headers)).toThrow();
    });

    it('after a rotation, both the old and the new secret verify during the grace period', async () => {
      const { id, secret: oldSecret } = await endpoint({ url: rx.url });
      const rotated = await api().post(`/v1/webhooks/endpoints/${id}/rotate-secret`).set(auth()).expect(200);
      const newSecret = rotated.body.data.secret as string;
      expect(newSecret).not.toBe(oldSecret);
      expect(Date.parse(rotated.body.data.previous_secret_expires_at)).toBeGreaterThan(Date.now() + 3_600_000);
      await emit('integration-created', {});
      await rx.waitFor((r) => r.length === 1);
      const [hook] = rx.received;
      expect(new Webhook(newSecret).verify(hook.body, hook.headers)).toBeTruthy();
      expect(new Webhook(oldSecret).verify(hook.body, hook.headers)).toBeTruthy();
      expect(hook.headers['x-kombo-signature']).toBe(komboSig(newSecret, hook.body));
      expect(hook.headers['x-kombo-signature-previous']).toBe(komboSig(oldSecret, hook.body));
    });

    it('data-changed from the outbox is what the Kombo SDK accepts', async () => {
      await endpoint({ url: rx.url });
      const integ = await gw.app
        .get(IntegrationsService)
        .create({ environmentId: gw.environmentId, tool: 'personio', credentials: { a: 1 }, endUserOrganizationName: 'Acme' });
      const ref = { id: integ.id, environmentId: gw.environmentId };
      await gw.ds.transaction((em) =>
        recordChanges(em, ref, [
          { model: 'employees', action: 'updated', id: 'e1', remote_id: '1', changed_fields: ['first_name'], memberships_changed: true },
          { model: 'groups', action: 'created', id: 'g1', remote_id: 'g' },
          { model: 'locations', action: 'deleted', id: 'l1', remote_id: 'l' },
        ]),
      );
      await gw.ds.transaction((em) => flushDataChanged(em, ref));
      await gw.ds.transaction((em) => flushDataChanged(em, ref)); // nothing changed since: no event
      gw.app.get(DeliveryWorker).nudge();
      await rx.waitFor((r) => r.length === 1);
      await new Promise((r) => setTimeout(r, 150));
      expect(rx.received).toHaveLength(1);
      const [hook] = rx.received;
      expect(hook.json.data).toEqual({
        integration_id: integ.id,
        integration_tool: 'personio',
        integration_category: 'HRIS',
        changed_models: [{ name: 'hris_employees' }, { name: 'hris_teams' }, { name: 'hris_locations' }, { name: 'hris_join_employees_teams' }],
      });
      expect(dataChangedWebhookPayloadFromJSON(hook.body).ok).toBe(true);
      // The SDK's validateWebhook takes the request in its generated shape: signature beside the body.
      const sdk = new Kombo({ api_key: 'unused' });
      const sdkBody = JSON.stringify({ 'X-Kombo-Signature': hook.headers['x-kombo-signature'], body: hook.json });
      const validated = await sdk.validateWebhook({ request: { body: sdkBody, headers: {}, url: 'http://lms/hook', method: 'POST' } });
      expect(validated).toMatchObject({ body: { id: hook.json.id, type: 'data-changed' } });
    });
  });
});
