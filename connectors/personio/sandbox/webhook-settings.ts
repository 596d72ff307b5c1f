import { WebhookSettings } from './types';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Six growing delays within 3 days (the current guide); the exact values are unpublished (UNVERIFIED). */
export const RETRY_DELAYS_3D = [1 * MIN, 5 * MIN, 30 * MIN, 2 * HOUR, 12 * HOUR, 48 * HOUR];
/** The 2024 changelog's 6-day window, same shape. */
export const RETRY_DELAYS_6D = RETRY_DELAYS_3D.map((d) => d * 2);

/** The six fields of the documented person.updated trigger list [WH-GUIDE]; custom attributes also trigger. */
export const PERSON_UPDATED_FIELDS = ['first_name', 'last_name', 'gender', 'language_code', 'email', 'preferred_name'];

/** Guessed employment.updated triggers: everything on the v2 Employment object (the real list is UNVERIFIED). */
export const EMPLOYMENT_UPDATED_FIELDS = [
  'status',
  'position',
  'supervisor',
  'supervisor_id',
  'employment_type',
  'weekly_working_hours',
  'hire_date',
  'contract_end_date',
  'termination_date',
  'last_working_day',
  'probation_period_end',
  'termination_type',
  'termination_reason',
  'subcompany',
  'office',
  'department',
  'team',
  'cost_centers',
];

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  companyId: '61003',
  dispatchLatencyMs: 2000,
  dispatchJitterMs: 0,
  deliveryTimeoutMs: 3000,
  retryDelaysMs: RETRY_DELAYS_3D,
  retryTimeScale: 1,
  fastAttempt: true,
  allowedHosts: ['127.0.0.1', '::1', 'localhost'],
  allowHttpToAllowedHosts: true,
  personUpdatedFields: PERSON_UPDATED_FIELDS,
  employmentUpdatedFields: EMPLOYMENT_UPDATED_FIELDS,
  noEventOnJobChange: true,
  costCenterEvents: false,
  employmentPayloadIncludesPerson: true,
  exposeToken: true,
  wrapSingleResponses: false,
  conflictOnDuplicateUrl: false,
  retryUsesCurrentToken: true,
  outOfOrderWindowMs: 200,
};

export function mergeWebhookSettings(base: WebhookSettings, patch: Partial<WebhookSettings>): WebhookSettings {
  const out: WebhookSettings = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (!(k in DEFAULT_WEBHOOK_SETTINGS)) throw new Error(`unknown webhook setting ${k}`);
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  if (out.retryDelaysMs.length > 6) throw new Error('retryDelaysMs: Personio makes at most 6 retries');
  if (!(out.retryTimeScale > 0)) throw new Error('retryTimeScale must be > 0');
  return out;
}
