// Per-tool fixtures for the e2e suites that run once per registered HRIS (test/kombo-sdk.e2e-spec.ts):
// how to start the tool's simulator, the credentials and base URL an integration needs, and the
// few expectations that differ per tool (its label, its passthrough API, what it does not provide).
// A tool added to connectors/registry.ts without an entry here fails those suites (`fixtureFor`).
import { startBambooHrForTest } from '../../connectors/bamboohr/sandbox';
import { startPersonioSandbox } from '../../connectors/personio/sandbox';
import { connectors } from '../../connectors/registry';

type ToolId = keyof typeof connectors;

export interface PassthroughSample {
  /** Kombo's api name for this tool: the part after `{tool}/` of the passthrough API (`personio/personnel`, `bamboohr/v1`). */
  api: string;
  /** A GET that answers 200 with a list of two employees; `items` digs them out of the body. */
  request: { method: 'GET'; path: string; params: Record<string, string> };
  items(data: unknown): unknown[];
  /** Part of the URL the gateway reports having called. */
  urlContains: string;
  /** A path the tool answers 404 for. */
  notFoundPath: string;
  /** A request the gateway refuses before sending it (400 PLATFORM.INPUT_INVALID), if the tool has one. */
  refused?: { method: 'GET' | 'POST'; path: string };
  /**
   * With credentials the tool refuses: `error` when the gateway authenticates first (Personio's token
   * exchange fails: 403 PLATFORM.INPUT_INVALID); `relayed` when the credentials travel with the request
   * itself (BambooHR's Basic auth): the tool's own 401 comes back as the passthrough's answer.
   */
  refusedCredentials: 'error' | 'relayed';
}

export interface StartedTool {
  credentials: Record<string, unknown>;
  /** Well-formed credentials the simulator refuses. */
  refusedCredentials: Record<string, unknown>;
  baseUrl: string;
  /** A credential value that must never come back in a response or a log line. */
  secret: string;
  /** Every employee id the simulator holds (deleted ones excluded), as remote ids. */
  employeeIds(): string[];
  /** The raw value of the tool's email field for one employee (what the `email` integration field carries). */
  rawEmail(remoteId: string): unknown;
  close(): Promise<void>;
}

export interface ToolFixture {
  label: string;
  start(opts: { employees: number; seed: number }): Promise<StartedTool>;
  passthrough: PassthroughSample;
  /** Whether the tool has legal entities (BambooHR's API has none: the gateway lists none). */
  legalEntities: boolean;
  /** The integration field key of the work email, and how the tool's custom field keys start. */
  emailField: string;
  customFieldPrefix: string;
  /** The seed used by the suites produces at least one employee whose raw email is "" (work_email null). */
  seedHasBlankEmail: boolean;
}

const personio: ToolFixture = {
  label: 'Personio',
  async start({ employees, seed }) {
    const sb = await startPersonioSandbox({ employees, seed });
    return {
      credentials: { clientId: sb.defaultCredential.clientId, clientSecret: sb.defaultCredential.clientSecret },
      refusedCredentials: { clientId: sb.defaultCredential.clientId, clientSecret: 'not-the-secret' },
      baseUrl: sb.url,
      secret: sb.defaultCredential.clientSecret,
      employeeIds: () => sb.employeeIds().map(String),
      rawEmail: (id) => (sb.employeeRaw(Number(id)) as { attributes: { email: { value: unknown } } }).attributes.email.value,
      close: () => sb.close(),
    };
  },
  passthrough: {
    api: 'personnel',
    request: { method: 'GET', path: '/company/employees', params: { limit: '2' } },
    items: (data) => (data as { data: unknown[] }).data,
    urlContains: '/company/employees',
    notFoundPath: '/company/nothing-here',
    refused: { method: 'POST', path: '/auth' },
    refusedCredentials: 'error',
  },
  legalEntities: true,
  emailField: 'email',
  customFieldPrefix: 'dynamic_',
  seedHasBlankEmail: true,
};

const bamboohr: ToolFixture = {
  label: 'BambooHR',
  async start({ employees, seed }) {
    const bhr = await startBambooHrForTest({ employees, seed });
    return {
      credentials: { companyDomain: bhr.company, apiKey: bhr.apiKey },
      refusedCredentials: { companyDomain: bhr.company, apiKey: 'not-the-api-key' },
      baseUrl: bhr.url,
      secret: bhr.apiKey,
      employeeIds: () => bhr.sandbox.employeeIds().map(String),
      // The simulator stores no email as null; BambooHR's field is `workEmail`.
      rawEmail: (id) => bhr.sandbox.employee(Number(id)).workEmail ?? null,
      close: () => bhr.close(),
    };
  },
  passthrough: {
    api: 'v1',
    request: { method: 'GET', path: '/employees', params: { 'page[limit]': '2' } },
    items: (data) => (data as { data: unknown[] }).data,
    urlContains: '/api/gateway.php/acme/v1/employees',
    notFoundPath: '/nothing-here',
    refusedCredentials: 'relayed',
  },
  legalEntities: false,
  emailField: 'workEmail',
  customFieldPrefix: 'custom',
  seedHasBlankEmail: false,
};

/** Fixtures by tool id; Partial so that a tool registered without one fails at run time with a clear message (`fixtureFor`). */
const TOOL_FIXTURES: Partial<Record<ToolId, ToolFixture>> = { personio, bamboohr };

/** Every tool id in the registry. */
export const REGISTERED_TOOLS = Object.keys(connectors) as ToolId[];

export function fixtureFor(tool: string): ToolFixture {
  const f = (TOOL_FIXTURES as Record<string, ToolFixture | undefined>)[tool];
  if (!f)
    throw new Error(
      `Tool "${tool}" is registered in connectors/registry.ts but has no e2e fixture: add one to test/support/tools.ts (simulator, credentials, baseUrl, passthrough sample, label).`,
    );
  return f;
}
