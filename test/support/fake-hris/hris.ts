// The fake HRIS itself: an in-memory company per tenant that tests steer (hire,
// change, hide attributes) and that checks the credentials every connector call brings.
import type { ConnectorContext } from '../../../connectors/connector';
import { ConnectorError } from '../../../connectors/connector';
import type { FakeCredentials, FakePerson, FakeDocument, Tenant } from './types';

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
