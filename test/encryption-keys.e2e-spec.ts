import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { createGateway } from '../src/bootstrap';
import { StartupError } from '../src/config/config';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import { startTestGateway, TestGateway } from './support/gateway';
import { fastSyncEnv, waitFor, waitForRun } from './support/sync';
import { getPage, signIn } from './browser/dashboard-support';
import { CredentialVault } from '../src/integrations/vault';

const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
/** A key's id as the vault computes it: the first 8 hex digits of the SHA-256 of its bytes. */
const kid = (key: string) => createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);

const integrationFor = (gw: TestGateway, key: string, organization: string) =>
  createIntegrationWithFirstSync(
    gw.ds,
    { ...gw.config, encryptionKey: key },
    {
      environment: gw.environmentId,
      tool: 'personio',
      organization,
      credentials: { clientId: 'papi-client', clientSecret: 'papi-secret-value' },
    },
  );

describe('encryption keys of stored secrets', () => {
  describe('at start-up', () => {
    let gw: TestGateway;
    let dbUrl: string;
    // API only: nothing here may sync (the integration points at no real Personio).
    const restart = (overrides: Parameters<typeof createGateway>[0] extends infer C ? Partial<C> : never) =>
      createGateway({ ...gw.config, role: 'api', port: 0, databaseUrl: dbUrl, ...overrides }, { inMemory: true });

    beforeAll(async () => {
      gw = await startTestGateway({ role: 'api', encryptionKey: K1 });
      dbUrl = gw.config.databaseUrl ?? gw.embedded!.url;
      await integrationFor(gw, K1, 'Sealed With K1 GmbH');
      await request(gw.url).post('/v1/webhooks/endpoints').set('Authorization', `Bearer ${gw.apiKey}`).send({ url: 'http://127.0.0.1:9/hook' }).expect(201);
      // Credentials a customer entered on the connect page and that wait for the flow to finish.
      await request(gw.url)
        .post('/v1/connect/create-link')
        .set('Authorization', `Bearer ${gw.apiKey}`)
        .send({ end_user_email: 'hr@acme.example', end_user_organization_name: 'ACME GmbH', integration_tool: 'personio' })
        .expect(200);
      await gw.ds.query(`UPDATE connect_links SET pending_credentials = $1`, [
        new CredentialVault(Buffer.from(K1, 'base64')).seal({ clientId: 'a', clientSecret: 'b' }),
      ]);
      // An inbound subscription whose HRIS signs deliveries: its token and the secret the HRIS issued.
      const k1 = new CredentialVault(Buffer.from(K1, 'base64'));
      await gw.ds.query(
        `INSERT INTO inbound_subscriptions (integration_id, token, secret, remote_id, status) SELECT id, $1, $2, 'sub-1', 'ACTIVE' FROM integrations LIMIT 1`,
        [k1.seal('inbound-token-value'), k1.seal('inbound-signing-secret-value')],
      );
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('refuses to start with a key that opens none of them, naming the variables and the missing key id', async () => {
      const started = restart({ encryptionKey: K2 });
      await expect(started).rejects.toBeInstanceOf(StartupError);
      const e = (await started.catch((err: StartupError) => err)) as StartupError;
      expect(e.variable).toBe('ENCRYPTION_KEY');
      expect(e.message).toContain(
        `key id ${kid(K1)} (1 integration credentials, 1 webhook endpoint secrets, 1 connect-flow credentials, 1 inbound webhook tokens, 1 inbound webhook signing secrets)`,
      );
      expect(e.message).toMatch(/ENCRYPTION_KEY\b.*ENCRYPTION_KEYS_PREVIOUS/);
      expect(e.message).toContain(`the configured key has id ${kid(K2)}`);
      expect(e.message).not.toContain(K1);
      expect(e.message).not.toContain('papi-secret-value');
      expect(e.message).not.toContain('inbound-signing-secret-value');
    });

    it('starts when the old key is among ENCRYPTION_KEYS_PREVIOUS, or when ENCRYPTION_ALLOW_MISSING_KEYS says so', async () => {
      const rotated = await restart({ encryptionKey: K2, encryptionKeysPrevious: [K1] });
      await rotated.close();
      const recovering = await restart({ encryptionKey: K2, allowMissingEncryptionKeys: true });
      await recovering.close();
    });
  });

  describe('at run time', () => {
    let gw: TestGateway;

    beforeAll(async () => {
      gw = await startTestGateway({ env: fastSyncEnv(), encryptionKey: K1 });
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('credentials no configured key opens turn the integration INVALID with a readable reason, in /health and on the dashboard', async () => {
      // As after a start with ENCRYPTION_ALLOW_MISSING_KEYS: the credentials and a webhook secret were sealed with a key this gateway lacks.
      const ep = await request(gw.url)
        .post('/v1/webhooks/endpoints')
        .set('Authorization', `Bearer ${gw.apiKey}`)
        .send({ url: 'http://127.0.0.1:9/hook' })
        .expect(201);
      await gw.ds.query(`UPDATE webhook_endpoints SET secret = $2 WHERE id = $1`, [
        ep.body.data.id,
        new CredentialVault(Buffer.from(K2, 'base64')).seal('whsec_lost'),
      ]);
      const { integration, syncId } = await integrationFor(gw, K2, 'Lost Key AG');
      const run = await waitForRun(gw.ds, syncId);
      expect(run.status).toBe('FAILED');
      expect(run.error_kind).toBe('CREDENTIALS_UNREADABLE');
      expect(run.error).toContain(`key id ${kid(K2)}`);

      const [row] = await gw.ds.query(`SELECT status, status_reason FROM integrations WHERE id = $1`, [integration.id]);
      expect(row.status).toBe('INVALID');
      expect(row.status_reason).toMatch(new RegExp(`^The stored credentials cannot be decrypted: .*key id ${kid(K2)}.*ENCRYPTION_KEYS_PREVIOUS`));
      const event = await waitFor(async () => {
        const [e] = await gw.ds.query(`SELECT data FROM webhook_events WHERE integration_id = $1 AND type = 'integration-state-changed'`, [integration.id]);
        return e as { data: { state: string } } | undefined;
      });
      expect(event.data.state).toBe('INVALID');
      // The webhook with the unreadable secret fails with a readable error, and the worker goes on.
      const delivery = await waitFor(async () => {
        const [d] = await gw.ds.query(`SELECT status, last_error FROM webhook_deliveries WHERE endpoint_id = $1 AND status <> 'pending'`, [ep.body.data.id]);
        return d as { status: string; last_error: string } | undefined;
      });
      expect(delivery.status).toBe('failed');
      expect(delivery.last_error).toContain(`signing secret cannot be decrypted: it was encrypted with key id ${kid(K2)}`);
      // No automatic retry: the scheduler leaves an INVALID integration alone.
      const [{ n }] = await gw.ds.query(`SELECT count(*)::int AS n FROM sync_runs WHERE integration_id = $1 AND status IN ('QUEUED', 'RUNNING')`, [
        integration.id,
      ]);
      expect(n).toBe(0);

      const health = await request(gw.url).get('/health').expect(200);
      expect(health.body.details.credentials).toMatchObject({ status: 'down', unreadable_integrations: 1 });
      expect(health.body.details.credentials.message).toContain('ENCRYPTION_KEY');
      expect(JSON.stringify(health.body)).not.toContain(integration.id);

      const { cookie } = await signIn(gw.url, gw.apiKey);
      const page = await getPage(gw.url, cookie, '/dashboard/integrations').expect(200);
      expect(page.text).toMatch(/class="hint error-text status-reason">The stored credentials cannot be decrypted: [^<]*key id/);
    });
  });
});
