import { ALLOW_ALL, AttributeFilter, RenderContext } from './attributes';
import { AuthRegistry } from './auth';
import { SimClock } from '../../sandbox-kit/clock';
import { addWithId, appendBounded, assignKnown } from '../../sandbox-kit/state';
import { DateFormatter, localDay, parseOffset } from './dates';
import { generate } from './generator';
import { Rng, deriveSeed } from '../../sandbox-kit/random';
import { RateLimits, liveRateLimits } from './rate-limit';
import { EmployeeStore } from './store';
import { DeliveryEngine } from './delivery';
import { EventSource } from './events';
import { PersonioSandboxOptions, RequestLogEntry, SandboxCredential, SandboxFaults, UploadedDocument, WebhookSettings } from './types';
import { DEFAULT_WEBHOOK_SETTINGS, mergeWebhookSettings } from './webhook-settings';
import { StoredWebhook, WebhookEvent } from './webhooks';
import { COMMON_FAULTS_OFF } from '../../sandbox-kit/types';

export const NO_FAULTS: SandboxFaults = { ...COMMON_FAULTS_OFF, revokeTokensAfterRequests: null, webhookDuplicateRate: 0, webhookOutOfOrder: false };

export const DEFAULT_CATEGORIES = ['Certificates of employment', 'Other documents', 'Learning certificates', 'Verträge', 'Gehaltsabrechnungen'];

export type ResolvedOptions = Required<Omit<PersonioSandboxOptions, 'now'>> & { now?: Date };

export function resolveOptions(o: PersonioSandboxOptions = {}): ResolvedOptions {
  return {
    employees: o.employees ?? 50,
    seed: o.seed ?? 1,
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    timeScale: o.timeScale ?? 1,
    rateLimits: o.rateLimits ?? true,
    legacyRotatingTokens: o.legacyRotatingTokens ?? false,
    rejectQueryCredentials: o.rejectQueryCredentials ?? true,
    utcOffset: o.utcOffset ?? '+01:00',
    now: o.now,
    legacyLimit200: o.legacyLimit200 ?? false,
    updatedSinceIgnoresPagination: o.updatedSinceIgnoresPagination ?? false,
    invalidTokenStatus: o.invalidTokenStatus ?? 401,
    requestLogLimit: o.requestLogLimit ?? 10_000,
    datesTouchLastModified: o.datesTouchLastModified ?? false,
    webhooks: o.webhooks ?? {},
  };
}

/** Everything the simulated Personio account holds; HTTP handlers and the in-process API share it. */
export class SandboxState {
  readonly clock: SimClock;
  readonly dates: DateFormatter;
  readonly store: EmployeeStore;
  readonly auth = new AuthRegistry();
  readonly limits: RateLimits = liveRateLimits();
  readonly faultRng: Rng;
  readonly categories: Array<{ id: number; name: string }> = [];
  readonly documents: UploadedDocument[] = [];
  readonly log: RequestLogEntry[] = [];
  faults: SandboxFaults = { ...NO_FAULTS };
  baseUrl = '';
  /** v2 webhooks: subscriptions by id, every generated event, the delivery engine. */
  readonly webhooks = new Map<string, StoredWebhook>();
  readonly events: WebhookEvent[] = [];
  webhookSettings: WebhookSettings;
  readonly eventSource: EventSource;
  readonly delivery: DeliveryEngine;
  private nextDocumentId = 7_000_001;
  private nextCategoryId = 50_001;

  constructor(readonly options: ResolvedOptions) {
    this.clock = new SimClock(options.timeScale, options.now);
    this.dates = new DateFormatter(parseOffset(options.utcOffset));
    const nowMs = this.clock.now();
    const g = generate(options.employees, options.seed, nowMs, this.dates.offsetMinutes);
    this.store = new EmployeeStore(g.employees, g.nextId, g.factory, new Rng(deriveSeed(options.seed, 3)));
    this.faultRng = new Rng(deriveSeed(options.seed, 4));
    for (const name of DEFAULT_CATEGORIES) this.addCategory(name);
    this.webhookSettings = mergeWebhookSettings(DEFAULT_WEBHOOK_SETTINGS, options.webhooks);
    const deliveryRng = new Rng(deriveSeed(options.seed, 5));
    this.delivery = new DeliveryEngine({
      webhooks: this.webhooks,
      settings: () => this.webhookSettings,
      faults: () => this.faults,
      roll: (rate) => rate > 0 && deliveryRng.next() < rate,
      random: () => deliveryRng.next(),
    });
    this.eventSource = new EventSource({
      store: this.store,
      seed: options.seed,
      offsetMinutes: this.dates.offsetMinutes,
      now: () => this.clock.now(),
      settings: () => this.webhookSettings,
      publish: (e) => this.publishEvent(e),
    });
  }

  publishEvent(e: WebhookEvent): void {
    this.events.push(e);
    // 30-day retention of the event log, counted on the simulated clock.
    const cutoff = this.clock.now() - 30 * 86_400_000;
    while (this.events.length > 0 && Date.parse(this.events[0].occurred_at) < cutoff) this.events.shift();
    this.delivery.publish(e);
  }

  renderContext(): RenderContext {
    const nowMs = this.clock.now();
    return {
      company: this.store.company,
      dates: this.dates,
      nowMs,
      today: localDay(nowMs, this.dates.offsetMinutes),
      datesTouchLastModified: this.options.datesTouchLastModified,
      baseUrl: this.baseUrl,
      employee: (id) => this.store.get(id),
    };
  }

  /** The credential's readable attributes; non-whitelisted ones are silently left out. */
  whitelist(credential: SandboxCredential): AttributeFilter {
    if (credential.attributes === 'all') return ALLOW_ALL;
    const set = new Set(credential.attributes);
    return (key) => set.has(key);
  }

  addCategory(name: string): { id: number; name: string } {
    const c = { id: this.nextCategoryId++, name };
    this.categories.push(c);
    return { ...c };
  }

  addDocument(doc: Omit<UploadedDocument, 'id'>): UploadedDocument {
    return addWithId(this.documents, this.nextDocumentId++, doc);
  }

  logRequest(entry: RequestLogEntry): void {
    appendBounded(this.log, entry, this.options.requestLogLimit);
  }

  setFaults(f: Partial<SandboxFaults>): void {
    assignKnown(this.faults, f, NO_FAULTS, 'fault');
  }

  /** `rate` of the time, deterministically per seed. */
  roll(rate: number): boolean {
    return rate > 0 && this.faultRng.next() < rate;
  }
}
