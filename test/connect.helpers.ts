import request from 'supertest';
import { startPersonioSandbox, type PersonioSandbox, type SandboxCredential } from '../connectors/personio/sandbox';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { startTestGateway, TestGateway } from './support/gateway';

/**
 * What the connect specs share: the gateway on a fresh database, Personio played by the
 * simulator, and a browser without JS: GET the page, read the CSRF token from the form, POST
 * the form. Every page seen and every secret handed out is kept, for the clear-text check.
 */
export interface ConnectWorld {
  gw: TestGateway;
  sandbox: PersonioSandbox;
  pages: string[];
  secrets: string[];
  auth: () => { Authorization: string };
  credential: (c?: Partial<SandboxCredential>) => SandboxCredential;
  createLink: (body?: Record<string, unknown>) => Promise<{ link: string; path: string; token: string; expires_at: string }>;
  getPage: (path: string, expected?: number) => Promise<string>;
  post: (path: string, step: string, fields: Record<string, string | string[]>, from?: string) => Promise<{ status: number; text: string }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads are read field by field in the assertions
  events: (type: string) => Promise<Array<{ integration_id: string | null; data: any }>>;
  activationTokenOf: (html: string) => string | undefined;
  /** A Personio integration with these credentials, created directly (not through the page). */
  integrationFor: (
    c: SandboxCredential,
    fields: Omit<Parameters<IntegrationsService['create']>[0], 'environmentId' | 'tool' | 'credentials'>,
  ) => ReturnType<IntegrationsService['create']>;
  /** The path of a relink page for an integration. */
  relinkPath: (integrationId: string, body: Record<string, unknown>) => Promise<string>;
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * Starts the world before the file's tests and closes it after them. With `checkSecretsAfterAll`,
 * the file's secrets are checked (expectNoSecretInClear) before it closes.
 */
export function useConnectWorld(opts: { checkSecretsAfterAll?: boolean } = {}): ConnectWorld {
  const cw: ConnectWorld = {
    gw: undefined as never,
    sandbox: undefined as never,
    pages: [],
    secrets: [],
    auth: () => ({ Authorization: `Bearer ${cw.gw.apiKey}` }),
    credential(c = {}) {
      const created = cw.sandbox.addCredential(c);
      cw.secrets.push(created.clientSecret);
      return created;
    },
    async createLink(body = {}) {
      const res = await request(cw.gw.url)
        .post('/v1/connect/create-link')
        .set(cw.auth())
        .send({
          end_user_email: 'hr@acme.example',
          end_user_organization_name: 'ACME GmbH',
          end_user_origin_id: 'acme-1',
          integration_tool: 'personio',
          ...body,
        })
        .expect(200);
      const link: string = res.body.data.link;
      const path = new URL(link).pathname;
      return { link, path, token: path.split('/').pop()!, expires_at: res.body.data.expires_at };
    },
    async getPage(path, expected = 200) {
      const res = await request(cw.gw.url).get(path).expect(expected);
      cw.pages.push(res.text);
      return res.text;
    },
    async post(path, step, fields, from) {
      const html = from ?? (await cw.getPage(path));
      const form = new URLSearchParams();
      form.append('csrf', csrfOf(html));
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
      const res = await request(cw.gw.url).post(`${path}/${step}`).type('form').send(form.toString());
      cw.pages.push(res.text);
      return { status: res.status, text: res.text };
    },
    events: async (type) => cw.gw.ds.query(`SELECT integration_id, data FROM webhook_events WHERE type = $1 ORDER BY created_at`, [type]),
    activationTokenOf: (html) => /data-activation-token="([^"]+)"/.exec(html)?.[1],
    integrationFor: (c, fields) =>
      cw.gw.app.get(IntegrationsService).create({
        environmentId: cw.gw.environmentId,
        tool: 'personio',
        credentials: { clientId: c.clientId, clientSecret: c.clientSecret },
        ...fields,
      }),
    async relinkPath(integrationId, body) {
      const res = await request(cw.gw.url)
        .post(`/v1/integrations/${encodeURIComponent(integrationId)}/relink`)
        .set(cw.auth())
        .send(body)
        .expect(200);
      return new URL(res.body.data.link).pathname;
    },
  };

  beforeAll(async () => {
    cw.sandbox = await startPersonioSandbox({ employees: 30, seed: 7, port: 0 });
    // role "api": no sync or delivery worker in this process. These tests check what the flow
    // writes (integration, events, queued sync run); the browser test runs the sync itself.
    cw.gw = await startTestGateway({ toolSettings: { personio: { baseUrl: cw.sandbox.url } }, role: 'api' });
  });
  afterAll(async () => {
    try {
      if (opts.checkSecretsAfterAll && cw.gw) await expectNoSecretInClear(cw);
    } finally {
      await cw.gw?.close();
      await cw.sandbox?.close();
    }
  });
  return cw;
}

/** No secret handed out is in the tables, the logs or the pages; no link or activation token is logged. */
export async function expectNoSecretInClear(cw: ConnectWorld): Promise<void> {
  const tables = ['integrations', 'connect_links', 'activation_tokens', 'webhook_events'];
  const dump = JSON.stringify(await Promise.all(tables.map((t) => cw.gw.ds.query(`SELECT * FROM ${t}`))));
  const logs = cw.gw.logs().join('\n');
  const html = cw.pages.join('\n');
  for (const s of cw.secrets) {
    expect(dump).not.toContain(s);
    expect(logs).not.toContain(s);
    expect(html).not.toContain(s);
  }
  expect(logs).not.toMatch(/hgct_[1-9A-Za-z]{20}/);
  expect(logs).not.toMatch(/hgat_[1-9A-Za-z]{20}/);
}
