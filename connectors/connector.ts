// The contract every HRIS connector implements. The gateway (sync engine,
// connect page, document and passthrough endpoints) only ever talks to this
// interface; it knows nothing about any one HRIS. A connector knows nothing of
// NestJS, Postgres or webhooks.
import type { CheckResult, ConnectInfo, CredentialSpec, MissingItem, ToolSetting } from './connect-contract';
import type { RemoteData, UnifiedBatch, UnifiedDocumentCategory } from './unified';

export * from './connect-contract';

/** The unified models, one list: the gateway's records module (src/records/models.ts) derives its tables from it. */
export const UNIFIED_MODELS = ['employees', 'employments', 'groups', 'legal_entities', 'locations', 'employee_document_categories'] as const;
export type UnifiedModel = (typeof UNIFIED_MODELS)[number];
/** A remote field is a standard field of the HRIS (DEFAULT) or one the company created there (CUSTOM). */
export const FIELD_KINDS = ['DEFAULT', 'CUSTOM'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface ModelCoverage {
  read: boolean;
  /** Unified fields this connector fills (others stay null). */
  fields: string[];
}

export interface ToolInfo {
  id: string;
  label: string;
  logoUrl: string;
  coverage: {
    read: Partial<Record<UnifiedModel, ModelCoverage>>;
    write: { employee_documents: boolean; trainings: boolean };
    /** Passthrough APIs, as Kombo names them (`personio/personnel`). */
    passthrough: string[];
  };
}

export interface ConnectorLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Metric hooks; called synchronously, must not throw. */
export interface ConnectorStats {
  requestMade?(e: { tool: string; endpoint: string; status: number | null; durationMs: number }): void;
  rateLimited?(e: { tool: string; endpoint: string; delayMs: number }): void;
  error?(e: { tool: string; endpoint: string; kind: ConnectorErrorKind }): void;
}

export interface ConnectorContext<C> {
  credentials: C;
  /** Overrides the HRIS's API origin, e.g. to point at the Personio sandbox. */
  baseUrl?: string;
  /** Receives structured fields only; connectors never pass secrets or tokens to it. */
  logger: ConnectorLogger;
  signal: AbortSignal;
  now(): Date;
  /** The tool's own gateway settings (`ToolSetting.key` → value), read once from the environment. */
  settings: Readonly<Record<string, string | undefined>>;
  stats?: ConnectorStats;
}

/** A completed course written back into the HRIS's training records (our extension). */
export interface TrainingRecord {
  /** Course name; the connector finds or creates the HRIS's training type of that name. */
  name: string;
  /** Calendar date (`YYYY-MM-DD`) the course was completed. */
  completedOn: string;
  hours?: number;
  credits?: number;
  /** Free text stored with the record. */
  notes?: string;
  /** A certificate to attach (already checked against `uploadRules`). */
  certificate?: Omit<DocumentUpload, 'categoryRemoteId' | 'title'> & { categoryRemoteId?: string; title?: string };
}

export interface ReadOptions {
  /** Delta read: only records changed since then (the HRIS's own notion of "changed"). */
  since?: Date;
  /**
   * Called before the read ends with records gone upstream: on a full read, records already
   * yielded that were deleted while it ran (they must not count as seen); on a delta read,
   * records the HRIS reports deleted since `since` (a delta yields no record for them). The
   * sync engine marks them deleted; an employee's employments go with it.
   */
  onVanished?(removed: { employees: string[]; employments: string[] }): void;
  /**
   * On a full read: the sync engine's memo of what the connector derived from the page bodies
   * it read before for this integration (see PageMemo). Absent on delta reads.
   */
  pageMemo?: PageMemo;
}

/**
 * What a connector derived from a page body, kept by the sync engine per integration and keyed
 * by a digest the connector makes of the body as it arrived and of everything else the value
 * depends on (its mapping version): a full read that receives a page byte for byte as before
 * gets the value back instead of parsing and hashing the page again (connectors/fingerprint.ts
 * `summarizedBody`). The value must therefore follow from the digest's input alone. Entries a
 * complete full read did not use are dropped at its end; a lost entry is only computed again.
 */
export interface PageMemo {
  /** The value remembered for this digest, or null. */
  recall(digest: string): Promise<string | null>;
  /** Remembers `value` for `digest` (in the background; a failure is logged, not thrown). */
  remember(digest: string, value: string): void;
}

export interface DocumentUpload {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  categoryRemoteId: string;
  title: string;
  comment?: string;
  /** Calendar date of the document (e.g. course completion); only the date part is sent. */
  date?: Date | string;
}

/**
 * What the HRIS accepts as a document, checked by the gateway before anything is
 * sent, so the caller gets a clear input error instead of a remote one after a
 * long upload. The gateway also checks the bytes against the declared type.
 */
export interface UploadRules {
  /** Lower-case file extensions, without the dot. */
  extensions: readonly string[];
  /** Largest file the HRIS accepts, in bytes (inclusive). */
  maxBytes: number;
  maxTitleLength: number;
}

export interface UploadResult {
  remote_id: string | null;
}

export interface PassthroughRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the API's base (`/company/employees`); absolute URLs are refused. */
  path: string;
  params?: Record<string, string | number | boolean | Array<string | number>>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface PassthroughResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

export interface AttributeInfo {
  key: string;
  label: string;
  /** HRIS attribute type (Personio: standard, date, integer, decimal, list, link, tags, multiline). */
  type: string;
  universal_id: string | null;
  options: string[];
}

/** One change notification found in an inbound delivery (ids only: the gateway always re-reads). */
export interface InboundEvent {
  /** Identifies the event across retries and replays (the HRIS sends no event id): duplicates collapse on it. */
  dedupeKey: string;
  name: string;
  /** Remote ids of the people whose records to re-read; empty for events that concern no person (pings). */
  personIds: string[];
  /** The person is gone: a delta read would not show it, so it is re-read one by one even in a flood. */
  removal: boolean;
  occurredAt: Date | null;
}

export type SubscriptionHealth = 'ACTIVE' | 'DISABLED' | 'MISSING';

export type DeliveryHeaders = Record<string, string | string[] | undefined>;

/** How old (or how far ahead of the gateway's clock) a signed delivery's timestamp may be: older ones are refused as replays. */
export const DELIVERY_MAX_AGE_MS = 5 * 60_000;

/**
 * Change notifications pushed by the HRIS (optional). The gateway owns the inbound
 * URL, the token, the HRIS-issued secret (sealed by the vault) and the events table;
 * the connector knows the HRIS's API for subscriptions and the shape of its deliveries.
 * A delivery is authenticated one of two ways, whichever the HRIS supports: it echoes
 * the gateway's token (`deliveryToken`), or it is signed with a secret the HRIS issued
 * when the subscription was created (`verifyDelivery`).
 */
export type ConnectorWebhooks<C> = ConnectorWebhooksBase<C> & (TokenDeliveries | SignedDeliveries);

interface ConnectorWebhooksBase<C> {
  /** Whether these credentials may manage subscriptions; `missing` says what the customer would grant. */
  available(ctx: ConnectorContext<C>): Promise<{ ok: true } | { ok: false; missing: MissingItem }>;
  /**
   * Subscribes `url`. A token-echoing HRIS sends `token` back with every delivery; a signing one
   * returns the `secret` it issued (the gateway seals and stores it; it is never shown again).
   * Returns the subscription's remote id.
   */
  subscribe(ctx: ConnectorContext<C>, url: string, token: string): Promise<{ id: string; secret?: string }>;
  /**
   * The subscriptions these credentials hold, each with the URL it delivers to. Before it subscribes,
   * the gateway deletes those at its own URL that it does not know of: a create whose answer was lost
   * (a dropped connection, a timeout) leaves one behind, delivering under a token or secret never stored.
   */
  list(ctx: ConnectorContext<C>): Promise<Array<{ id: string; url: string }>>;
  /** Deletes the subscription; one already gone is not an error. */
  unsubscribe(ctx: ConnectorContext<C>, id: string): Promise<void>;
  check(ctx: ConnectorContext<C>, id: string): Promise<SubscriptionHealth>;
  /** The events in a delivery body, or null when it is not a delivery this connector understands. */
  parseDelivery(body: unknown): InboundEvent[] | null;
}

/** The HRIS echoes the gateway's token. */
interface TokenDeliveries {
  /** The token a delivery carries (from the header the HRIS puts it in), or null. */
  deliveryToken(headers: DeliveryHeaders): string | null;
  verifyDelivery?: never;
}

/** The HRIS signs each delivery with the secret `subscribe` returned. */
interface SignedDeliveries {
  deliveryToken?: never;
  /**
   * Whether the delivery is signed with `secret` over exactly these body bytes, and is recent:
   * a timestamp older than DELIVERY_MAX_AGE_MS (or as far ahead of `now`) is refused, so a captured
   * delivery cannot be replayed later. Compares in constant time; never throws on hostile input.
   */
  verifyDelivery(headers: DeliveryHeaders, rawBody: Buffer, secret: string, now: Date): boolean;
}

export interface PeopleRead {
  /** The people found, as one page (employees with their employments and derived records). */
  batch: UnifiedBatch;
  /** Remote ids the HRIS answered "not found" for: deleted upstream. */
  gone: { employees: string[]; employments: string[] };
}

export interface HrisConnector<C> {
  tool: ToolInfo;
  credentials: CredentialSpec<C>;
  /** Guide, requirements and hints the connect page renders for this tool. */
  connect: ConnectInfo;
  /** The tool's environment settings; their values reach the connector as `ctx.settings`. */
  settings: ToolSetting[];
  /** Document uploads the HRIS accepts per credential and window (the gateway keeps below it). */
  uploadRate: { perWindow: number; windowMs: number };
  /** Whether a key of `remote_fields` is one of the company's own custom fields or a standard field of the HRIS. */
  fieldKind(key: string): FieldKind;
  /** Labels of the fields a stored record's remote_data names, where the HRIS sends them with the record (the stand-in field list while it cannot be reached). */
  fieldLabels?(remoteData: RemoteData): Record<string, string>;
  check(ctx: ConnectorContext<C>): Promise<CheckResult>;
  read(ctx: ConnectorContext<C>, opts?: ReadOptions): AsyncIterable<UnifiedBatch>;
  documentCategories(ctx: ConnectorContext<C>): Promise<UnifiedDocumentCategory[]>;
  /** The tool's own document rules (types, size, title length). */
  uploadRules: UploadRules;
  uploadDocument(ctx: ConnectorContext<C>, employeeRemoteId: string, doc: DocumentUpload): Promise<UploadResult>;
  passthrough(ctx: ConnectorContext<C>, req: PassthroughRequest): Promise<PassthroughResponse>;
  listAttributes(ctx: ConnectorContext<C>): Promise<AttributeInfo[]>;
  /** Targeted re-read of just these people (after a change notification). */
  readPeople?(ctx: ConnectorContext<C>, remoteIds: string[]): Promise<PeopleRead>;
  webhooks?: ConnectorWebhooks<C>;
  /** Writes a completed training (only tools whose `coverage.write.trainings` is true). */
  writeTraining?(ctx: ConnectorContext<C>, employeeRemoteId: string, training: TrainingRecord): Promise<UploadResult>;
}

export type ConnectorErrorKind =
  | 'AUTH_FAILED'
  | 'PERMISSION_MISSING'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_INVALID_INPUT'
  | 'NOT_FOUND'
  /** The request is wrong in itself (detected before or without the remote); never retried. */
  | 'INVALID_REQUEST'
  | 'ABORTED';

/**
 * The only error a connector throws. It deliberately carries no `cause`: an
 * HTTP library's error holds request headers and bodies (tokens, client
 * secrets), and whoever logs this error must not be able to leak them.
 */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly details: { status?: number; endpoint?: string; upstreamMessage?: string } = {},
  ) {
    super(message);
  }

  /** Worth retrying later (the sync engine backs off) rather than pausing the integration. */
  get transient(): boolean {
    return this.kind === 'RATE_LIMITED' || this.kind === 'UPSTREAM_UNAVAILABLE';
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, message: this.message, ...this.details };
  }
}

export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError;
}
