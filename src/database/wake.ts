// Wake-ups on commit, so a worker sleeps until there may be work instead of polling fast.
// Two paths, both firing only once the writing transaction has committed:
// - NOTIFY, for other processes on the database (Postgres delivers it at commit and drops
//   it on rollback). The embedded PGlite does not pass notifications between its socket
//   connections, so there only the next path (and polling) applies.
// - an in-process signal after the commit, which also spares the round trip through Postgres.
// Polling stays the fallback everywhere: a lost notification only costs the poll interval, and
// when a lost LISTEN connection is back every subscriber is woken once for what it missed.
import { EventEmitter } from 'node:events';
import { Client, Pool } from 'pg';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { getLogger } from '../common/logger';

export type WakeChannel = 'hgw_webhook_deliveries' | 'hgw_sync' | 'hgw_access';

/** SQL that notifies `channel` when the surrounding transaction commits (channels are constants, never input). */
export const notifySql = (channel: WakeChannel): string => `pg_notify('${channel}', '')`;

const PENDING = 'hgwWakeOnCommit';
const RECONNECT_MS = 1_000;
const log = getLogger('wake');

/** Per DataSource: one in-process emitter, one LISTEN connection shared by every subscriber. */
class Wakes implements EntitySubscriberInterface {
  readonly local = new EventEmitter();
  private client: Client | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private readonly channels = new Map<WakeChannel, number>();
  private closed = false;
  /** The LISTEN connection was lost (or never came up) since subscribers last heard from it. */
  private missed = false;

  constructor(private readonly ds: DataSource) {
    this.local.setMaxListeners(0);
    ds.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const qr = event.queryRunner;
    // A released savepoint is not the commit: wait for the outermost one.
    if (qr.isTransactionActive) return;
    const pending = qr.data?.[PENDING] as Set<WakeChannel> | undefined;
    if (!pending) return;
    delete qr.data[PENDING];
    for (const channel of pending) this.emitSoon(channel);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive && event.queryRunner.data) delete event.queryRunner.data[PENDING];
  }

  emitSoon(channel: WakeChannel): void {
    setImmediate(() => this.local.emit(channel));
  }

  subscribe(channel: WakeChannel, listen: boolean, fn: () => void): () => void {
    this.local.on(channel, fn);
    if (listen) {
      this.channels.set(channel, (this.channels.get(channel) ?? 0) + 1);
      this.closed = false;
      if (!this.client && !this.reconnect) void this.connect();
      else if (this.client && this.channels.get(channel) === 1) void this.client.query(`LISTEN ${channel}`).catch(() => undefined);
    }
    return () => {
      this.local.off(channel, fn);
      if (!listen) return;
      const n = (this.channels.get(channel) ?? 1) - 1;
      if (n > 0) return void this.channels.set(channel, n);
      this.channels.delete(channel);
      if (this.channels.size === 0) this.close();
    };
  }

  private async connect(): Promise<void> {
    this.reconnect = null;
    const pool = (this.ds.driver as unknown as { master?: Pool & { options: object } }).master;
    if (this.closed || !pool) return;
    const client = new Client({ ...pool.options, application_name: 'hris-gateway-listen' });
    client.on('notification', (n) => this.local.emit(n.channel));
    // A dropped connection is reopened; meanwhile polling covers the gap.
    client.on('error', (e) => this.retry(client, e));
    client.on('end', () => this.retry(client, null));
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
    } catch (e) {
      return this.retry(client, e);
    }
    // Notifications sent while the connection was down are gone: every subscriber is woken once,
    // as if each had been notified (a worker looks for work; the access cache drops what it holds).
    if (this.missed) {
      this.missed = false;
      for (const channel of this.channels.keys()) this.local.emit(channel);
    }
  }

  private retry(client: Client, err: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.missed = true;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    if (err) log.warn({ err }, 'lost the LISTEN connection; polling until it is back');
    this.reconnect = setTimeout(() => void this.connect(), RECONNECT_MS);
    this.reconnect.unref();
  }

  private close(): void {
    this.closed = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    this.reconnect = null;
    const client = this.client;
    this.client = null;
    if (client) void client.end().catch(() => undefined);
  }
}

const registry = new WeakMap<DataSource, Wakes>();
function wakesOf(ds: DataSource): Wakes {
  let w = registry.get(ds);
  if (!w) registry.set(ds, (w = new Wakes(ds)));
  return w;
}

/**
 * In-process half of a wake-up: signals this process's subscribers once `em`'s transaction
 * commits (at once when `em` is not in one). The caller's SQL carries the NOTIFY (notifySql).
 */
export function wakeAfterCommit(em: EntityManager, channel: WakeChannel): void {
  const w = wakesOf(em.connection);
  const qr = em.queryRunner;
  if (qr?.isTransactionActive) {
    qr.data ??= {};
    ((qr.data[PENDING] as Set<WakeChannel> | undefined) ?? (qr.data[PENDING] = new Set<WakeChannel>())).add(channel);
  } else {
    w.emitSoon(channel);
  }
}

/** NOTIFY and the in-process signal together, for callers without a statement to carry the NOTIFY. */
export async function notifyOnCommit(em: EntityManager, channel: WakeChannel): Promise<void> {
  await em.query(`SELECT ${notifySql(channel)}`);
  wakeAfterCommit(em, channel);
}

/**
 * Calls `fn` when a commit may have made work for `channel`. `listen` false (the embedded
 * database, where NOTIFY does not cross connections) keeps only the in-process signal.
 * Returns the unsubscribe function.
 */
export function onWake(ds: DataSource, channel: WakeChannel, listen: boolean, fn: () => void): () => void {
  return wakesOf(ds).subscribe(channel, listen, fn);
}
