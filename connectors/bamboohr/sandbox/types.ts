/** Public types of the BambooHR sandbox; re-exported by index.ts. See docs/bamboohr-sandbox.md. */
import type { SimulatorHandle } from '../../sandbox-kit/types';

/**
 * Switches for behaviour that NOTES.md marks UNVERIFIED (or where sources disagree). The default is
 * the likeliest reading; docs/bamboohr-sandbox.md lists each with its source.
 */
export interface BehaviourSwitches {
  /** Classic endpoints answer XML unless `Accept: application/json` (NOTES §0, §12.1). false = JSON always. */
  xmlByDefault: boolean;
  /** Error text headers sent with classic errors; BambooHR staff say both spellings exist (NOTES §5). */
  errorHeaders: string[];
  /** Throttling signal: 'current' = 429 + Retry-After (since 2026-09-16), 'legacy' = 503 without Retry-After. */
  throttling: 'current' | 'legacy';
  /** Status for a `/api/gateway.php/{company}/...` call naming another company (NOTES §15.8: UNVERIFIED). */
  unknownCompanyStatus: number;
  /** `lastChanged` of a future-dated table row moves when the row is 'entered' or when it takes 'effect' (NOTES §4.4). */
  futureRowsChangeWhen: 'entered' | 'effective';
  /** Get Employee: a requested field name that does not exist is 'omit'ted or returned as `null`. */
  unknownFieldsOnGet: 'omit' | 'null';
  /** Empty dates on classic reads (get employee) come back as `0000-00-00` (NOTES §12.2); false = "". */
  zeroDates: boolean;
  /** Table reads return rows in a shuffled (but seeded) order, as BambooHR does not sort (NOTES §12.7). */
  shuffleTableRows: boolean;
  /** `GET …/tables/{table}` honours `onlyCurrent` (hides future-dated rows unless `onlyCurrent=false`); the spec says "all rows". */
  tablesHonourOnlyCurrent: boolean;
  /** Basic auth also accepted on endpoints whose spec lists only OAuth (list employees, locations; NOTES §3.2). */
  basicOnOauthOnlyEndpoints: boolean;
  /** `/hris/org/locations` ids equal the `location` list-option ids from `/meta/lists` (NOTES §15.7). */
  locationIdsMatchListOptions: boolean;
  /** Upload extensions accepted (BambooHR publishes no list; NOTES §15.5). Lower-case, no dot. */
  allowedExtensions: string[];
  /** `supervisorEId` is the manager's employee id and `supervisorId` the employeeNumber (PyBambooHR); 'reversed' = Workato's reading. */
  supervisorIds: 'eid-is-id' | 'reversed';
  /** Get Employee's `employmentStatus` alias: 'status' (deprecated alias of `status`, PyBambooHR) or 'table' (current employmentStatus row, spec wording). */
  employmentStatusAlias: 'status' | 'table';
  /** `/files/view` for id 0 resolves to the key's employee (UNVERIFIED for this endpoint, NOTES §15.6). */
  filesViewAcceptsZero: boolean;
  /** Body of classic 4xx/5xx errors: 'empty' (reason only in headers) or 'json' `{"error":{"code","message"}}` (NOTES §15.8). */
  classicErrorBody: 'empty' | 'json';
  /** What one rate-limit window counts: requests per API 'key' or per 'company' (NOTES §15.1). */
  rateLimitScope: 'key' | 'company';
  /** Failed authentications count toward throttling, per client address (third-party report, NOTES §6). */
  failedAuthCountsTowardLimit: boolean;
}

export interface RateLimitSettings {
  /** Requests per window per API key; BambooHR publishes none (NOTES §6). */
  requests: number;
  windowMs: number;
}

export interface BambooSandboxOptions {
  employees?: number; // default 50
  seed?: number; // default 1
  port?: number; // default 0 (free port)
  host?: string; // default '127.0.0.1'
  /** The company served under `/api/v1/...` (the subdomain in `{company}.bamboohr.com`); default 'acme'. */
  company?: string;
  now?: Date; // initial simulated clock; default real time
  timeScale?: number; // default 1
  /** false disables rate limiting; default 600 requests per 60 s per key (modelled, not published). */
  rateLimit?: RateLimitSettings | false;
  switches?: Partial<BehaviourSwitches>;
  requestLogLimit?: number; // default 10000
  webhooks?: Partial<WebhookSettings>;
}

/** How simulated webhooks are sent; the UNVERIFIED parts of NOTES §4.13 are settings here. */
export interface WebhookSettings {
  companyId: string; // `data.companyId` in event payloads; default '12345'
  timestampFormat: 'unix' | 'iso'; // X-BambooHR-Timestamp: Unix seconds (default) or `…+0000` (UNVERIFIED)
  dispatchLatencyMs: number; // real ms from the change to the request; default 0
  deliveryTimeoutMs: number; // receiver must answer within this; default 10000
  retryDelaysMs: number[]; // delay before retry n; default [] (BambooHR's schedule is UNVERIFIED)
  allowedHosts: string[]; // deliveries reach only these hosts; default loopback
  allowHttpToAllowedHosts: boolean; // accept http:// URLs for allowed hosts (BambooHR requires https); default true
}

export interface DeliveryAttempt {
  deliveryId: string;
  webhookId: string;
  type: string;
  url: string;
  employeeIds: string[];
  attempt: number;
  at: number;
  status: number | null;
  error: string | null;
  headers: Record<string, string>;
  body: string;
}

export interface ApiKey {
  key: string;
  /** Field aliases the key's user cannot see: omitted on get, null + `_restrictedFields` on the list. */
  hiddenFields: string[];
  /** The employee linked to the key's user (special id 0); null when none. */
  employeeId: number | null;
  /** Display name written as `createdBy` on uploads. */
  userName: string;
  /** Employees the key's user may see (null = everyone): others are left out of lists and answer 403. */
  visibleEmployeeIds: number[] | null;
}

export interface SandboxFaults {
  serverErrorRate: number; // 0..1 → 500/502/503 on API calls
  latencyMs: number; // added to every API response
  resetRate: number; // 0..1 → socket destroyed without a response
  truncatedJsonRate: number; // 0..1 → 200 with a cut-off body
  rateLimitBurst: number; // next N API calls are throttled (429 or 503, per `throttling`)
  revokeKeysAfterRequests: number | null; // after N more API calls every key answers 401
  shiftRecordsBetweenPages: 'insert' | 'delete' | null; // between two pages of one listing, hire/delete an employee
  uploadFailureRate: number; // 0..1 → 503 on file upload ("file storage temporarily unavailable")
}

export interface StoredFile {
  id: number;
  employeeId: number;
  categoryId: number;
  name: string;
  originalFileName: string;
  contentType: string;
  bytes: Buffer;
  share: boolean;
  createdBy: string;
  createdAt: Date;
}

export interface TrainingTypeRecord {
  id: number;
  name: string;
  renewable: boolean;
  frequency: number | null;
  dueFromHireDate: number | null;
  required: boolean | null;
  categoryId: number | null;
  linkUrl: string | null;
  description: string | null;
  allowEmployeesToMarkComplete: boolean;
}

export interface TrainingRecordRow {
  id: number;
  employeeId: number;
  completed: string;
  type: number;
  instructor: string | null;
  hours: number | null;
  credits: number | null;
  notes: string | null;
  cost: { currency: string; amount: string } | null;
}

/** `key` holds only the first six characters of the API key presented. */
export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  key: string | null;
}

export type TableName = 'jobInfo' | 'employmentStatus' | 'compensation';

/** The handle `startBambooSandbox` returns; clock, faults, webhooks, deliveries and the request log are the kit's. */
export interface BambooSandbox extends SimulatorHandle<SandboxFaults, WebhookSettings, DeliveryAttempt, RequestLogEntry> {
  readonly company: string;
  /** The default API key (Basic user name; any password). */
  readonly apiKey: string;
  /** `${url}/api/v1` (subdomain shape, company = `company`). */
  readonly baseUrl: string;
  /** `${url}/api/gateway.php/${company}/v1` (classic gateway shape). */
  readonly gatewayBaseUrl: string;
  addApiKey(k?: Partial<ApiKey>): ApiKey;
  revokeApiKey(key: string): void;
  switches(): BehaviourSwitches;
  setSwitches(s: Partial<BehaviourSwitches>): void;
  setRateLimit(r: RateLimitSettings | false): void;
  /** Everything the sandbox holds for one employee, in Get Employee aliases (all fields, onlyCurrent per argument). */
  employee(id: number, onlyCurrent?: boolean): Record<string, unknown>;
  hire(fields?: Record<string, unknown>): { id: number };
  /** Change top-level fields (aliases as in Get Employee; job fields go through tables instead). */
  update(id: number, fields: Record<string, unknown>): void;
  tableRows(id: number, table: TableName): Array<Record<string, unknown>>;
  addTableRow(id: number, table: TableName, row: Record<string, unknown>): { rowId: number };
  updateTableRow(id: number, table: TableName, rowId: number, values: Record<string, unknown>): void;
  removeTableRow(id: number, table: TableName, rowId: number): void;
  /** Adds a `Terminated` employmentStatus row (and sets status Inactive when `inactive`). */
  terminate(id: number, date: string, opts?: { reason?: string; type?: string; inactive?: boolean }): { rowId: number };
  fileCategories(): Array<{ id: number; name: string; canUploadFiles: boolean }>;
  addFileCategory(name: string, canUploadFiles?: boolean): { id: number; name: string };
  files(): StoredFile[];
  trainingTypes(): TrainingTypeRecord[];
  addTrainingType(t: Partial<TrainingTypeRecord> & { name: string }): TrainingTypeRecord;
  trainingRecords(employeeId?: number): TrainingRecordRow[];
}
