import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { randomId } from '../common/ids';
import { getLogger } from '../common/logger';
import { PollingLoop } from '../common/polling-loop';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { onWake } from '../database/wake';
import { CREDENTIAL_VAULT, CredentialVault, SecretUnreadableError } from '../integrations/vault';
import { webhookDeliveries, webhookLatency } from '../metrics/metrics';
import { MetricsSamplers } from '../metrics/samplers';
import { AttemptRecord, ClaimedDelivery, DeliveryStore, sampleBacklog } from './delivery.store';
import { decide, SendResult } from './retry';
import { WebhookSender } from './sender';
import { WEBHOOK_CONFIG, WebhookConfig } from './webhooks.config';

const RESULT_BATCH = 64;
const RESULT_DELAY_MS = 10;
/**
 * Wake-ups (and finished sends) closer together than this share one round: at a high
 * event rate a round per commit would cost two statements per event, while a few
 * milliseconds let each round claim and record many.
 */
const ROUND_GAP_MS = 10;

/**
 * The delivery loop of one process: claim due deliveries, send each on its own (a slow
 * receiver only occupies its own slots), buffer the results and write them in batches.
 * Runs unless GATEWAY_ROLE=api. Several processes on one database share the work through
 * the claim query (delivery.store.ts). A commit that creates deliveries wakes the loop
 * (database/wake.ts); the poll only finds retries coming due and covers lost wake-ups.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly workerId = `${hostname()}:${process.pid}:${randomId(8)}`;
  private readonly log = getLogger('webhooks');
  private readonly store: DeliveryStore;
  private readonly sender: WebhookSender;
  private readonly secrets = new Map<string, string>();
  private readonly loop: PollingLoop;
  private crashed = false;
  private inFlight = 0;
  private results: AttemptRecord[] = [];
  /** The last claim found work: a finished send should look for more at once rather than wait for the poll. */
  private busy = false;
  private idle: (() => void)[] = [];
  private flushFailures = 0;
  private lastRoundAt = 0;
  private unsubscribe: (() => void) | null = null;
  /** When the last delivery tick completed (epoch ms): readiness (/health) reports its age. */
  lastTickAt: number | null = null;

  constructor(
    private readonly ds: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly gatewayConfig: GatewayConfig,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
    @Inject(CREDENTIAL_VAULT) private readonly vault: CredentialVault,
  ) {
    this.store = new DeliveryStore(ds);
    this.sender = new WebhookSender({ allowPrivate: gatewayConfig.allowPrivateNetworkTargets, timeoutMs: config.timeoutMs });
    this.loop = new PollingLoop({
      name: 'webhook delivery tick',
      intervalMs: config.pollMs,
      log: this.log,
      tick: async () => {
        this.lastRoundAt = Date.now();
        const wrote = await this.tick();
        // A round that wrote results claimed while its own write held those rows (SKIP LOCKED passes
        // over them): one redelivered meanwhile is due now, so the next round comes after the gap, not the poll.
        return this.busy ? 0 : wrote ? ROUND_GAP_MS : this.config.pollMs;
      },
    });
  }

  onApplicationBootstrap(): void {
    registerBacklogSampler();
    if (this.gatewayConfig.role === 'api') return;
    this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.loop.isRunning) return;
    this.crashed = false;
    // NOTIFY does not cross the embedded database's connections: there only this process's commits wake it.
    this.unsubscribe = onWake(this.ds, 'hgw_webhook_deliveries', this.gatewayConfig.databaseUrl !== null, () => this.nudge());
    this.loop.start();
  }

  private unlisten(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Stops claiming, lets sends in flight finish (bounded by the request timeout) and writes their results. */
  async stop(): Promise<void> {
    if (!this.loop.isRunning) return;
    const ticking = this.loop.stop();
    this.unlisten();
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await ticking;
    await this.flush();
  }

  /** Tests only: stops as a killed process would — claims stay taken, results in flight are lost. */
  crash(): void {
    void this.loop.stop();
    this.crashed = true;
    this.unlisten();
  }

  /** Sends under way in this process (tests, shutdown). */
  get inFlightCount(): number {
    return this.inFlight;
  }

  /** Wakes the loop now, or ROUND_GAP_MS after the last round began (after a commit created deliveries, or from tests). */
  nudge(): void {
    this.loop.wake(this.gapLeft());
  }

  private gapLeft(): number {
    return Math.max(0, this.lastRoundAt + ROUND_GAP_MS - Date.now());
  }

  /** One round; true when it wrote results. */
  private async tick(): Promise<boolean> {
    const free = this.config.workerConcurrency - this.inFlight;
    // Results are written and new work claimed at the same time (two connections, one round
    // trip): the claim does not count the rows being recorded as in flight.
    const recording = this.crashed ? [] : this.results.map((r) => r.id);
    const [, claimed] = await Promise.all([
      this.flush().catch((e) => this.log.error({ err: e }, 'could not record webhook attempts; retrying')),
      free > 0 ? this.store.claim(this.workerId, free, this.config.endpointConcurrency, this.config.leaseMs, recording) : Promise.resolve([]),
    ]);
    this.lastTickAt = Date.now();
    // free <= 0: a finished send wakes the loop.
    this.busy = free > 0 && claimed.length > 0 && claimed.length === free;
    for (const d of claimed) this.deliver(d);
    return recording.length > 0;
  }

  private deliver(d: ClaimedDelivery): void {
    this.inFlight++;
    const startedAt = new Date();
    const body = JSON.stringify({ id: d.eventId, type: d.type, data: d.data });
    void this.sendSigned(d, body)
      // An internal fault (not the receiver's) is an attempt that failed and is retried, not an
      // unhandled rejection that would end the process with every other send in flight.
      .catch((e: unknown): SendResult => {
        this.log.error({ err: e, endpointId: d.endpointId, eventId: d.eventId }, 'webhook send failed with an internal error');
        return { statusCode: null, latencyMs: Date.now() - startedAt.getTime(), error: 'internal error in the gateway', retryable: true };
      })
      .then((result) => {
        if (this.crashed) return;
        const { outcome, nextAttemptAt } = decide(result, d.attempt, d.firstAttemptAt, this.config);
        webhookDeliveries.inc({ outcome: outcome === 'succeeded' ? 'delivered' : outcome });
        if (outcome === 'succeeded') webhookLatency.observe((Date.now() - d.eventCreatedAt.getTime()) / 1000);
        if (outcome !== 'succeeded') {
          this.log.warn(
            { endpointId: d.endpointId, eventId: d.eventId, attempt: d.attempt, status: result.statusCode, error: result.error, outcome },
            'webhook delivery attempt failed',
          );
        }
        this.results.push({
          id: d.id,
          attempt: d.attempt,
          outcome,
          status_code: result.statusCode,
          latency_ms: result.latencyMs,
          error: result.error,
          started_at: startedAt.toISOString(),
          next_attempt_at: nextAttemptAt?.toISOString() ?? null,
        });
      })
      .finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) for (const r of this.idle.splice(0)) r();
        // Write results (freeing their endpoints' slots) and claim more in batches: a tick per
        // finished send would cost two round trips per delivery.
        this.loop.wake(this.results.length >= RESULT_BATCH ? 0 : this.inFlight === 0 ? this.gapLeft() : RESULT_DELAY_MS);
      });
  }

  private async flush(): Promise<void> {
    if (this.results.length === 0 || this.crashed) return;
    const batch = this.results;
    this.results = [];
    try {
      await this.store.record(this.workerId, batch);
    } catch (e) {
      // Keep them for a few more ticks; given up (or if this process dies first), the leases
      // expire and the deliveries are simply attempted again.
      this.flushFailures++;
      if (this.flushFailures < 5) this.results.unshift(...batch);
      else this.flushFailures = 0;
      throw e;
    }
    this.flushFailures = 0;
  }

  /** A secret no configured key opens fails the attempt with a readable error (not the whole tick). */
  private sendSigned(d: ClaimedDelivery, body: string): Promise<SendResult> {
    let secrets: { current: string; previous: string | null };
    try {
      secrets = { current: this.open(d.secret), previous: d.previousSecret ? this.open(d.previousSecret) : null };
    } catch (e) {
      if (!(e instanceof SecretUnreadableError)) return Promise.reject(e);
      const error = `The endpoint's signing secret cannot be decrypted: ${e.message}. Restore that key, or rotate the endpoint's secret.`;
      return Promise.resolve({ statusCode: null, latencyMs: 0, error, retryable: false });
    }
    return this.sender.send({ url: d.url, eventId: d.eventId, body, secrets });
  }

  private open(sealed: string): string {
    let secret = this.secrets.get(sealed);
    if (secret === undefined) {
      secret = this.vault.open<string>(sealed);
      if (this.secrets.size > 1000) this.secrets.clear();
      this.secrets.set(sealed, secret);
    }
    return secret;
  }
}

let samplerRegistered = false;
function registerBacklogSampler(): void {
  if (samplerRegistered) return;
  samplerRegistered = true;
  MetricsSamplers.register(sampleBacklog);
}
