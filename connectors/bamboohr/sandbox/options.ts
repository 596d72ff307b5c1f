// The BambooHR simulator's options and defaults: faults off, behaviour switches
// at live behaviour, the rate limit BambooHR is assumed to apply.
import { BambooSandboxOptions, BehaviourSwitches, RateLimitSettings, SandboxFaults, WebhookSettings } from './types';
import { DEFAULT_WEBHOOK_SETTINGS } from './webhooks';
import { COMMON_FAULTS_OFF } from '../../sandbox-kit/types';
import { ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES } from '../upload-types';

export const NO_FAULTS: SandboxFaults = { ...COMMON_FAULTS_OFF, revokeKeysAfterRequests: null };

export const DEFAULT_SWITCHES: BehaviourSwitches = {
  xmlByDefault: true,
  errorHeaders: ['X-BambooHR-Error-Message', 'X-BambooHR-Error-Messsage'],
  throttling: 'current',
  unknownCompanyStatus: 404,
  futureRowsChangeWhen: 'effective',
  unknownFieldsOnGet: 'omit',
  zeroDates: true,
  shuffleTableRows: true,
  tablesHonourOnlyCurrent: false,
  basicOnOauthOnlyEndpoints: true,
  locationIdsMatchListOptions: true,
  allowedExtensions: [...ALLOWED_EXTENSIONS],
  supervisorIds: 'eid-is-id',
  employmentStatusAlias: 'status',
  filesViewAcceptsZero: true,
  classicErrorBody: 'empty',
  rateLimitScope: 'key',
  failedAuthCountsTowardLimit: false,
};

export const DEFAULT_RATE_LIMIT: RateLimitSettings = { requests: 600, windowMs: 60_000 };
export { MAX_UPLOAD_BYTES };

export interface ResolvedOptions {
  employees: number;
  seed: number;
  port: number;
  host: string;
  company: string;
  now?: Date;
  timeScale: number;
  rateLimit: RateLimitSettings | false;
  switches: BehaviourSwitches;
  requestLogLimit: number;
  webhooks: WebhookSettings;
}

export function resolveOptions(o: BambooSandboxOptions = {}): ResolvedOptions {
  const company = o.company ?? 'acme';
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(company)) throw new Error('company must be a subdomain-like name');
  return {
    employees: o.employees ?? 50,
    seed: o.seed ?? 1,
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    company,
    now: o.now,
    timeScale: o.timeScale ?? 1,
    rateLimit: o.rateLimit === undefined ? { ...DEFAULT_RATE_LIMIT } : o.rateLimit,
    switches: { ...DEFAULT_SWITCHES, ...o.switches },
    requestLogLimit: o.requestLogLimit ?? 10_000,
    webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, ...o.webhooks },
  };
}
