// The fake HRIS's data: the tool id, its credentials, and what a tenant holds.
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

export interface Tenant {
  token: string;
  people: Map<string, FakePerson>;
  /** Attributes these credentials may not read (the connect page names them). */
  hidden: Set<string>;
  documents: FakeDocument[];
  subscriptions: Map<string, { url: string; token: string }>;
}
