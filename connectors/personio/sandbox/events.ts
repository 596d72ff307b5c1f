import { createHash, randomUUID } from 'node:crypto';
import { DAY_MS, localDay } from './dates';
import { EmployeeRecord } from './model';
import { EmployeeStore, StoreWrite } from './store';
import { WebhookEvent } from './webhooks';
import { WebhookSettings } from './types';

/** A person's v2 employment id: a stable UUID derived from the person id (one employment per person). */
export function employmentIdOf(personId: number, seed: number): string {
  const h = createHash('sha1').update(`employment:${seed}:${personId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface EventDeps {
  store: EmployeeStore;
  seed: number;
  offsetMinutes: number;
  now(): number;
  settings(): WebhookSettings;
  publish(e: WebhookEvent): void;
}

/**
 * Turns the sandbox's own writes into v2 events (V2-WEBHOOKS §1.4, §6.2) and the passing of calendar
 * days into `employment.started` / `employment.terminated`.
 */
export class EventSource {
  private lastScanDay: number;

  constructor(private readonly d: EventDeps) {
    this.lastScanDay = localDay(d.now(), d.offsetMinutes);
    d.store.onWrite = (w) => this.onWrite(w);
  }

  make(eventName: string, payload: Record<string, unknown>, occurredMs: number): WebhookEvent {
    return { id: randomUUID(), company_id: this.d.settings().companyId, event_name: eventName, occurred_at: isoSeconds(occurredMs), payload, meta: {} };
  }

  private emit(name: string, e: EmployeeRecord, nowMs: number): void {
    const person = { id: String(e.id) };
    const payload = name.startsWith('person.')
      ? { person }
      : { employment: { id: employmentIdOf(e.id, this.d.seed) }, ...(this.d.settings().employmentPayloadIncludesPerson ? { person } : {}) };
    this.d.publish(this.make(name, payload, nowMs));
  }

  private onWrite(w: StoreWrite): void {
    if (w.kind === 'created') {
      this.emit('person.created', w.e, w.nowMs);
      this.emit('employment.created', w.e, w.nowMs);
      return;
    }
    if (w.kind === 'removed') {
      this.emit('person.deleted', w.e, w.nowMs);
      this.emit('employment.deleted', w.e, w.nowMs);
      return;
    }
    const s = this.d.settings();
    if (w.keys.some((k) => s.personUpdatedFields.includes(k) || k.startsWith('dynamic_'))) this.emit('person.updated', w.e, w.nowMs);
    const employmentKeys = w.keys.filter((k) => s.employmentUpdatedFields.includes(k) && !(s.noEventOnJobChange && k === 'position'));
    if (employmentKeys.length > 0) this.emit('employment.updated', w.e, w.nowMs);
    if (s.costCenterEvents && w.keys.includes('cost_centers')) this.emit('employment.updated.cost-centers', w.e, w.nowMs);
  }

  /**
   * Fires the date-driven events for every account-local day passed since the last scan, at that
   * day's local midnight. Setting the clock backwards fires nothing and restarts from the new day.
   */
  scanDates(): void {
    const today = localDay(this.d.now(), this.d.offsetMinutes);
    const from = this.lastScanDay;
    this.lastScanDay = today;
    if (today <= from) return;
    const midnight = (day: number) => day * DAY_MS - this.d.offsetMinutes * 60_000;
    const due: Array<[number, string, EmployeeRecord]> = [];
    for (const e of this.d.store.all()) {
      if (e.hireDay > from && e.hireDay <= today) due.push([e.hireDay, 'employment.started', e]);
      if (e.terminationDay !== null && e.terminationDay > from && e.terminationDay <= today) due.push([e.terminationDay, 'employment.terminated', e]);
    }
    due.sort((a, b) => a[0] - b[0] || a[2].id - b[2].id);
    for (const [day, name, e] of due) this.emit(name, e, midnight(day));
  }
}
