// A tiny fake HRIS for tests: an in-memory company per tenant and a connector
// for it that implements the whole HrisConnector contract with credential fields
// of its own (`tenant` + `token`). It is registered through the same provider as
// the real connectors (startTestGateway's `connectors`), so a test that connects
// it proves that src/ serves a tool it has never heard of.
import type { ConnectorContext, HrisConnector, InboundEvent, Requirement } from '../../../connectors/connector';
import { ConnectorError } from '../../../connectors/connector';
import type { UnifiedBatch, UnifiedEmployee, UnifiedEmployment } from '../../../connectors/unified';

export const FAKE_TOOL = 'fakehr';

export interface FakeCredentials {
  tenant: string;
  token: string;
}

export interface FakePerson {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  team: string;
  /** A company-defined field (`x_` keys are custom). */
  shirtSize: string;
  updatedAt: Date;
}

export interface FakeDocument {
  personId: string;
  categoryId: string;
  fileName: string;
  contentType: string;
  title: string;
  bytes: Buffer;
}

interface Tenant {
  token: string;
  people: Map<string, FakePerson>;
  /** Attributes these credentials may not read (the connect page names them). */
  hidden: Set<string>;
  documents: FakeDocument[];
  subscriptions: Map<string, { url: string; token: string }>;
}

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

/** The fake HRIS: tenants, people, uploaded documents, and the settings the connector was called with. */
export class FakeHris {
  private readonly tenants = new Map<string, Tenant>();
  /** Every `ctx.settings` a connector call received (proves tool settings reach the connector). */
  readonly settingsSeen: Array<Readonly<Record<string, string | undefined>>> = [];
  private seq = 0;

  addTenant(tenant: string, token: string, people: number): void {
    const t: Tenant = { token, people: new Map(), hidden: new Set(), documents: [], subscriptions: new Map() };
    this.tenants.set(tenant, t);
    for (let i = 0; i < people; i++) this.hire(tenant, { firstName: `Person${i + 1}`, lastName: 'Fake' });
  }

  hide(tenant: string, attributes: string[]): void {
    this.tenant(tenant).hidden = new Set(attributes);
  }

  hire(tenant: string, p: { firstName: string; lastName: string }): FakePerson {
    const id = String(++this.seq);
    const person: FakePerson = {
      id,
      ...p,
      email: `${p.firstName.toLowerCase()}.${id}@fake.example`,
      team: this.seq % 2 ? 'Blue' : 'Green',
      shirtSize: 'M',
      updatedAt: new Date(),
    };
    this.tenant(tenant).people.set(id, person);
    return person;
  }

  change(tenant: string, id: string, patch: Partial<Pick<FakePerson, 'firstName' | 'lastName' | 'team'>>): void {
    const p = this.tenant(tenant).people.get(id)!;
    Object.assign(p, patch, { updatedAt: new Date() });
  }

  people(tenant: string): FakePerson[] {
    return [...this.tenant(tenant).people.values()];
  }

  documents(tenant: string): FakeDocument[] {
    return this.tenant(tenant).documents;
  }

  subscriptions(tenant: string): Array<{ url: string; token: string }> {
    return [...this.tenant(tenant).subscriptions.values()];
  }

  /** Sends a change notification to every subscription of the tenant, as the HRIS would. */
  async notify(tenant: string, personId: string): Promise<number[]> {
    const statuses: number[] = [];
    for (const s of this.tenant(tenant).subscriptions.values()) {
      const res = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fake-token': s.token },
        body: JSON.stringify({ event: 'person.changed', person: personId, id: `evt-${++this.seq}`, at: new Date().toISOString() }),
      });
      statuses.push(res.status);
    }
    return statuses;
  }

  private tenant(name: string): Tenant {
    const t = this.tenants.get(name);
    if (!t) throw new Error(`no tenant ${name}`);
    return t;
  }

  /** The tenant these credentials open, or AUTH_FAILED (what a real HRIS answers with a 401). */
  authed(ctx: ConnectorContext<FakeCredentials>): Tenant {
    this.settingsSeen.push(ctx.settings);
    const t = this.tenants.get(ctx.credentials.tenant);
    if (!t || t.token !== ctx.credentials.token) throw new ConnectorError('AUTH_FAILED', 'The fake HRIS did not accept these credentials', { status: 401 });
    return t;
  }
}

function employee(p: FakePerson, hidden: Set<string>): UnifiedEmployee {
  const email = hidden.has('email') ? null : p.email;
  const team = hidden.has('team') ? null : p.team;
  return {
    remote_id: p.id,
    employee_number: p.id,
    first_name: p.firstName,
    last_name: p.lastName,
    display_full_name: `${p.firstName} ${p.lastName}`,
    nationality: null,
    job_title: null,
    work_email: email,
    personal_email: null,
    mobile_phone_number: null,
    ssn: null,
    tax_id: null,
    gender: null,
    ethnicity: null,
    marital_status: null,
    employment_status: 'ACTIVE',
    employment_type: 'FULL_TIME',
    weekly_hours: 40,
    avatar: null,
    date_of_birth: null,
    start_date: '2020-01-01',
    termination_date: null,
    remote_created_at: null,
    manager_remote_id: null,
    legal_entity_remote_id: null,
    work_location_remote_id: null,
    group_remote_ids: team ? [`team:${team}`] : [],
    home_address: null,
    bank_accounts: null,
    custom_fields: { x_shirt_size: p.shirtSize },
    remote_fields: { first_name: p.firstName, last_name: p.lastName, email, team, x_shirt_size: p.shirtSize },
    remote_data: { '/people': { id: p.id, first: p.firstName, last: p.lastName, email, team, x_shirt_size: p.shirtSize } },
  };
}

function employment(p: FakePerson): UnifiedEmployment {
  return {
    remote_id: `emp-${p.id}`,
    employee_remote_id: p.id,
    job_title: null,
    pay_rate: null,
    pay_period: null,
    pay_frequency: null,
    employment_type: 'FULL_TIME',
    pay_currency: null,
    effective_date: '2020-01-01',
    custom_fields: {},
    remote_fields: {},
    remote_data: {},
  };
}

function batch(people: FakePerson[], hidden: Set<string>, teams: Set<string>): UnifiedBatch {
  const groups = [...new Set(people.map((p) => p.team))].filter((t) => !hidden.has('team') && !teams.has(t));
  for (const g of groups) teams.add(g);
  return {
    employees: people.map((p) => employee(p, hidden)),
    employments: people.map(employment),
    groups: groups.map((g) => ({ remote_id: `team:${g}`, name: g, type: 'TEAM', parent_remote_id: null, remote_data: {} })),
    legal_entities: [],
    locations: [],
  };
}

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
