/** Public types of the sandbox; re-exported by index.ts. */
import type { SimulatorHandle } from '../../sandbox-kit/types';
import type { DeliveryAttempt, WebhookEvent } from './webhooks';

export type { DeliveryAttempt, WebhookEvent };
export interface PersonioSandboxOptions {
  employees?: number; // default 50
  seed?: number; // default 1
  port?: number; // default 0 (random free port)
  host?: string; // default '127.0.0.1'
  timeScale?: number; // default 1; 60 => a 60 s rate-limit window lasts 1 s, cool-downs too
  rateLimits?: boolean; // default true; false disables every rate limit (benchmarks)
  legacyRotatingTokens?: boolean; // default false
  rejectQueryCredentials?: boolean; // default true (the 2026-12 removal)
  utcOffset?: string; // account offset used in date strings, default '+01:00'
  now?: Date; // initial simulated clock; default: real time
  /** Old behaviour switches (live behaviour is the default). */
  legacyLimit200?: boolean; // limit cap 200 instead of 100 (before 2025-01-31)
  updatedSinceIgnoresPagination?: boolean; // the spec's text: limit/offset ignored with updated_since
  invalidTokenStatus?: 401 | 403; // status for unknown/expired/revoked tokens; default 401
  requestLogLimit?: number; // ring size of the request log; default 10000
  /** A status change caused only by a date passing also moves last_modified_at; default false (modelled assumption: real Personio does not). */
  datesTouchLastModified?: boolean;
  /** v2 webhooks: modelling switches and delivery settings; see DEFAULT_WEBHOOK_SETTINGS and docs/personio-sandbox.md. */
  webhooks?: Partial<WebhookSettings>;
}

/** How the simulated v2 webhooks behave. Facts marked UNVERIFIED in V2-WEBHOOKS.md are switches here. */
export interface WebhookSettings {
  companyId: string; // envelope `company_id`; default '61003'
  dispatchLatencyMs: number; // real ms from the write to the first request; default 2000 (Personio publishes none)
  dispatchJitterMs: number; // + uniform 0..jitter ms; default 0
  deliveryTimeoutMs: number; // receiver must answer within this; default 3000 [WH-GUIDE]
  retryDelaysMs: number[]; // delay before retry n (≤ 6); default RETRY_DELAYS_3D (growing, within 3 days)
  retryTimeScale: number; // divides retryDelaysMs (1e5 => 2 days pass in 1.7 s); default 1
  fastAttempt: boolean; // an attempt re-sends at once after a retryable failure (≤ 14 requests); default true
  allowedHosts: string[]; // hosts deliveries may reach; anything else is refused; default loopback only
  allowHttpToAllowedHosts: boolean; // accept http:// URLs for allowed hosts (Personio requires https); default true
  personUpdatedFields: string[]; // v1 attribute keys whose change fires person.updated (+ every dynamic_*)
  employmentUpdatedFields: string[]; // keys whose change fires employment.updated (UNVERIFIED list)
  noEventOnJobChange: boolean; // a `position` change fires nothing (forum report); default true
  costCenterEvents: boolean; // a cost-center change also fires employment.updated.cost-centers; default false
  employmentPayloadIncludesPerson: boolean; // employment payloads carry `person: {id}` too; default true
  exposeToken: boolean; // GET/list return `token` / custom header values in clear; default true
  wrapSingleResponses: boolean; // create/get/patch answer `{_data: webhook}` instead of the bare object; default false
  conflictOnDuplicateUrl: boolean; // 409 when another webhook has the same url; default false
  retryUsesCurrentToken: boolean; // retries send the webhook's token at send time (not at event time); default true
  outOfOrderWindowMs: number; // with fault webhookOutOfOrder: events are held this long, then sent newest first; default 200
}

export interface SandboxCredential {
  clientId: string;
  clientSecret: string;
  attributes: string[] | 'all';
  scopes: string[];
}

export interface SandboxFaults {
  serverErrorRate: number; // 0..1 → 500/502/503 on v1 data calls
  latencyMs: number; // added to every v1 response
  resetRate: number; // 0..1 → socket destroyed without a response
  truncatedJsonRate: number; // 0..1 → 200 with a cut-off JSON body
  rateLimitBurst: number; // next N v1 data calls answer 429
  revokeTokensAfterRequests: number | null; // after N more data calls every issued token becomes invalid (401)
  shiftRecordsBetweenPages: 'insert' | 'delete' | null; // between two page calls of the same listing, hire/delete one employee that moves records across page boundaries
  uploadFailureRate: number; // 0..1 → 5xx on POST /v1/company/documents
  webhookDuplicateRate: number; // 0..1 → a delivered webhook request is sent a second time
  webhookOutOfOrder: boolean; // deliveries are batched (settings.outOfOrderWindowMs) and sent newest first
}

export interface UploadedDocument {
  id: number;
  employeeId: number;
  categoryId: number;
  title: string;
  comment: string | null;
  date: string | null;
  fileName: string;
  contentType: string;
  bytes: Buffer;
  createdAt: Date;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  clientId: string | null;
}

/** The handle `startPersonioSandbox` returns; clock, faults, webhooks, deliveries and the request log are the kit's. */
export interface PersonioSandbox extends SimulatorHandle<SandboxFaults, WebhookSettings, DeliveryAttempt, RequestLogEntry> {
  defaultCredential: SandboxCredential;
  addCredential(c?: Partial<SandboxCredential>): SandboxCredential;
  setWhitelist(clientId: string, attributes: string[] | 'all', scopes?: string[]): void;
  hire(overrides?: Record<string, unknown>): { id: number };
  change(id: number, changes: Record<string, unknown>): void;
  terminate(id: number, terminationDate: string): void;
  addDocumentCategory(name: string): { id: number; name: string };
  uploadedDocuments(): UploadedDocument[];
  employeeRaw(id: number, clientId?: string): unknown;
  /** v2 webhooks (additions for issue #16). */
  readonly companyId: string;
  /** Every event the sandbox generated (or published), oldest first, whether or not a webhook wanted it. */
  events(): WebhookEvent[];
  /** Publish an event as if Personio had produced it (e.g. absence events the sandbox does not model). */
  publishEvent(eventName: string, payload: Record<string, unknown>, occurredAt?: Date): WebhookEvent;
  /** v2 employment id (UUID) of a person. */
  employmentId(personId: number): string;
}
