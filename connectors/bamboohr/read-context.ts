// What every BambooHR read shares: how it is tuned, the setup it does first
// (field plan and company lists), the status rules and read strategy from the
// settings, which errors mean "not allowed" rather than "failed", and bounded fan-out.
import { ConnectorError, type ConnectorContext } from '../connector';
import type { UnifiedGroupType } from '../unified';
import { BambooClient } from './client';
import { planFields, type FieldPlan } from './fields';
import { DEFAULT_STATUS_RULES, type StatusRules } from './mapping';
import { OrgIndex } from './org';
import type { BambooCredentials, BambooFieldMeta, BambooListField } from './types';

export type BambooCtx = ConnectorContext<BambooCredentials>;

export interface ReadTuning {
  pageSize: number;
  /** Restarts of the list allowed after BambooHR's `BadPage`. */
  maxPasses: number;
  /** Up to this many people, tables are read per person; above, once for all of them. */
  perPersonMax: number;
}

/** Org records already emitted in this read (each is sent once). */
export interface Emitted {
  groups: Set<string>;
  locations: Set<string>;
}

const list = (v: string | undefined, fallback: string[]) =>
  v === undefined || v.trim() === ''
    ? fallback
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** Bulk records through the custom report unless the `readStrategy` setting says `records`. */
const useReport = (ctx: BambooCtx) => ctx.settings.readStrategy?.trim().toLowerCase() !== 'records';

export function rulesOf(ctx: BambooCtx): StatusRules {
  return {
    terminated: list(ctx.settings.terminatedStatuses, DEFAULT_STATUS_RULES.terminated),
    leave: list(ctx.settings.leaveStatuses, DEFAULT_STATUS_RULES.leave),
  };
}

/** The employee list (or the change log standing in for it) is closed to this key: the key, not the service, is the problem. */
export const listRefused = (e: unknown): e is ConnectorError => e instanceof ConnectorError && (e.kind === 'AUTH_FAILED' || e.kind === 'PERMISSION_MISSING');
/** "Not allowed" or "not there" for an optional read (a missing item, a table left null), rather than an outage. */
export const isRefusal = (e: unknown): e is ConnectorError => e instanceof ConnectorError && (e.kind === 'PERMISSION_MISSING' || e.kind === 'NOT_FOUND');

/** Runs `fn` over items, `n` at a time; after one failure no new item starts (the call fails anyway). */
export async function eachBounded<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const item = items[next++];
      await fn(item).catch((e: unknown) => {
        failed = true;
        throw e;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** What every read needs first: which fields to request, and the company's lists. */
export interface Setup {
  plan: FieldPlan;
  org: OrgIndex;
  /** Records come from the custom report until BambooHR refuses it once in this read. */
  bulk: { enabled: boolean };
}

export async function setup(ctx: BambooCtx, c: BambooClient): Promise<Setup> {
  // Both are optional: without /meta/fields the standard fields are requested, without /meta/lists names stand in for ids.
  // Independent calls: asked together, so every read (each delta too) waits one round trip for them, not two.
  const optional = (path: string) => c.get(path, undefined, 'meta').catch((e: unknown) => (isRefusal(e) ? null : Promise.reject(e)));
  const [fields, lists] = await Promise.all([optional('/meta/fields'), optional('/meta/lists')]);
  const plan = planFields(Array.isArray(fields) ? (fields as BambooFieldMeta[]) : null);
  if (plan.dropped.length)
    ctx.logger.warn({ tool: 'bamboohr', dropped: plan.dropped.length }, 'bamboohr: more custom fields than one request may name; some are not read');
  const divisionType = ctx.settings.divisionGroupType?.trim().toUpperCase() === 'DEPARTMENT' ? ('DEPARTMENT' as UnifiedGroupType) : null;
  return { plan, org: new OrgIndex(Array.isArray(lists) ? (lists as BambooListField[]) : null, { divisionType }), bulk: { enabled: useReport(ctx) } };
}
