// The connector for the fake HRIS: the whole HrisConnector contract, with
// credential fields of its own (`tenant` + `token`).
import type { ConnectorContext, HrisConnector, InboundEvent, Requirement } from '../../../connectors/connector';
import { ConnectorError } from '../../../connectors/connector';
import type { FakeHris } from './hris';
import { batch } from './mapping';
import { FAKE_TOOL, type FakeCredentials, type FakePerson, type Tenant } from './types';

const REQUIREMENTS: Requirement[] = [
  { kind: 'attribute', key: 'email', label: { en: 'E-mail address', de: 'E-Mail-Adresse' }, why: { en: 'matching learners', de: 'Zuordnung der Lernenden' } },
  { kind: 'attribute', key: 'team', label: { en: 'Team name', de: 'Teamname' }, why: { en: 'team groups', de: 'Teamgruppen' } },
  {
    kind: 'permission',
    key: 'files',
    optional: true,
    label: { en: 'Files', de: 'Dateien' },
    why: { en: 'Without the Files permission certificates cannot be stored.', de: 'Ohne die Berechtigung „Dateien“ können keine Zertifikate abgelegt werden.' },
  },
];

const CATEGORIES = [{ remote_id: 'cat-1', name: 'Certificates', remote_data: {} }];

/** A connector for `hris`; its tool id is FAKE_TOOL. */
export function fakeConnector(hris: FakeHris): HrisConnector<FakeCredentials> {
  type Ctx = ConnectorContext<FakeCredentials>;
  return {
    tool: {
      id: FAKE_TOOL,
      label: 'FakeHR',
      logoUrl: 'https://fake.example/logo.svg',
      coverage: {
        read: {
          employees: { read: true, fields: ['first_name', 'last_name', 'work_email', 'group_remote_ids', 'remote_fields'] },
          employments: { read: true, fields: ['employee_id', 'employment_type'] },
          groups: { read: true, fields: ['name', 'type'] },
          employee_document_categories: { read: true, fields: ['name'] },
        },
        write: { employee_documents: true, trainings: false },
        passthrough: [`${FAKE_TOOL}/api`],
      },
    },
    credentials: {
      fields: [
        { key: 'tenant', label: { en: 'Tenant name', de: 'Mandant' }, secret: false, maxLength: 40, help: { en: 'FakeHR › Admin › Tenant' } },
        { key: 'token', label: { en: 'API token', de: 'API-Token' }, secret: true, maxLength: 80 },
      ],
      validate(input) {
        const o = (input ?? {}) as Record<string, unknown>;
        const tenant = typeof o.tenant === 'string' ? o.tenant.trim() : '';
        const token = typeof o.token === 'string' ? o.token : '';
        const errors: Array<{ field: string; message: string }> = [];
        if (!tenant) errors.push({ field: 'tenant', message: 'Enter the tenant' });
        else if (!/^[a-z0-9-]+$/.test(tenant)) errors.push({ field: 'tenant', message: 'Not a tenant name' });
        if (!token) errors.push({ field: 'token', message: 'Enter the token' });
        return errors.length ? { ok: false, errors } : { ok: true, value: { tenant, token } };
      },
    },
    connect: {
      guide: {
        title: { en: 'Create an API token in FakeHR', de: 'API-Token in FakeHR anlegen' },
        steps: [
          { text: { en: 'Open FakeHR › Admin › API tokens.', de: 'Öffnen Sie FakeHR › Admin › API-Tokens.' } },
          { text: { en: 'Allow reading:', de: 'Erlauben Sie das Lesen von:' }, listRequirements: true },
        ],
      },
      requirements: REQUIREMENTS,
      missingHint: { en: 'Widen the token in FakeHR › Admin, then test again.', de: 'Erweitern Sie das Token in FakeHR › Admin und testen Sie erneut.' },
    },
    settings: [
      { key: 'baseUrl', env: 'FAKEHR_BASE_URL', kind: 'url', description: 'FakeHR API origin.' },
      { key: 'region', env: 'FAKEHR_REGION', kind: 'string', description: 'FakeHR data region.' },
    ],
    uploadRate: { perWindow: 100, windowMs: 1000 },
    fieldKind: (key) => (key.startsWith('x_') ? 'CUSTOM' : 'DEFAULT'),
    async check(ctx: Ctx) {
      let t: Tenant;
      try {
        t = hris.authed(ctx);
      } catch {
        return { ok: false, error: { kind: 'AUTH', message: 'FakeHR did not accept the token' }, missing: [] };
      }
      const missing = REQUIREMENTS.filter((r) => r.kind === 'attribute' && t.hidden.has(r.key)).map((r) => ({
        kind: r.kind,
        key: r.key,
        message: `Cannot read ${r.label.en}`,
      }));
      return { ok: missing.length === 0, missing };
    },
    async *read(ctx: Ctx, opts = {}) {
      const t = hris.authed(ctx);
      const people = [...t.people.values()].filter((p) => !opts.since || p.updatedAt > opts.since);
      const teams = new Set<string>();
      for (let i = 0; i < people.length; i += 2) yield batch(people.slice(i, i + 2), t.hidden, teams);
      if (!people.length) yield batch([], t.hidden, teams);
    },
    async readPeople(ctx: Ctx, remoteIds: string[]) {
      const t = hris.authed(ctx);
      const found = remoteIds.map((id) => t.people.get(id)).filter((p): p is FakePerson => !!p);
      const gone = remoteIds.filter((id) => !t.people.has(id));
      return { batch: batch(found, t.hidden, new Set()), gone: { employees: gone, employments: gone.map((id) => `emp-${id}`) } };
    },
    async documentCategories(ctx: Ctx) {
      hris.authed(ctx);
      return CATEGORIES;
    },
    uploadRules: { extensions: ['pdf', 'txt'], maxBytes: 1024 * 1024, maxTitleLength: 100 },
    async uploadDocument(ctx: Ctx, employeeRemoteId, doc) {
      const t = hris.authed(ctx);
      if (!t.people.has(employeeRemoteId)) throw new ConnectorError('NOT_FOUND', 'No such person in FakeHR');
      t.documents.push({
        personId: employeeRemoteId,
        categoryId: doc.categoryRemoteId,
        fileName: doc.fileName,
        contentType: doc.contentType,
        title: doc.title,
        bytes: doc.bytes,
      });
      return { remote_id: `doc-${t.documents.length}` };
    },
    async passthrough(ctx: Ctx, req) {
      const t = hris.authed(ctx);
      if (req.method !== 'GET' || req.path !== '/people') throw new ConnectorError('NOT_FOUND', 'FakeHR has no such endpoint', { status: 404 });
      return { url: `https://fake.example${req.path}`, status: 200, headers: {}, data: [...t.people.values()].map((p) => ({ id: p.id, first: p.firstName })) };
    },
    async listAttributes(ctx: Ctx) {
      hris.authed(ctx);
      return ['first_name', 'last_name', 'email', 'team', 'x_shirt_size'].map((key) => ({
        key,
        label: key,
        type: 'standard',
        universal_id: null,
        options: [],
      }));
    },
    webhooks: {
      async available(ctx: Ctx) {
        hris.authed(ctx);
        return { ok: true };
      },
      async subscribe(ctx: Ctx, url: string, token: string) {
        const t = hris.authed(ctx);
        const id = `sub-${t.subscriptions.size + 1}`;
        t.subscriptions.set(id, { url, token });
        return { id };
      },
      async list(ctx: Ctx) {
        return [...hris.authed(ctx).subscriptions].map(([id, s]) => ({ id, url: s.url }));
      },
      async unsubscribe(ctx: Ctx, id: string) {
        hris.authed(ctx).subscriptions.delete(id);
      },
      async check(ctx: Ctx, id: string) {
        return hris.authed(ctx).subscriptions.has(id) ? 'ACTIVE' : 'MISSING';
      },
      deliveryToken(headers) {
        const v = headers['x-fake-token'];
        return typeof v === 'string' ? v : null;
      },
      parseDelivery(body): InboundEvent[] | null {
        const b = body as { event?: unknown; person?: unknown; id?: unknown; at?: unknown } | null;
        if (!b || typeof b.event !== 'string' || typeof b.person !== 'string' || typeof b.id !== 'string') return null;
        return [{ dedupeKey: b.id, name: b.event, personIds: [b.person], removal: false, occurredAt: typeof b.at === 'string' ? new Date(b.at) : null }];
      },
    },
  };
}
