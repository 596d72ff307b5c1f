// The subscription lifecycle: an integration whose connector supports change
// notifications, whose credentials allow them and whose gateway has a public URL
// gets a subscription (at connect, relink and enable, and by the periodic check for
// integrations without one); the check re-creates a subscription the HRIS lost; disable
// and delete remove it. The inbound token is random per subscription, sealed by the vault;
// where the HRIS signs deliveries instead, the secret it issued at creation is sealed and kept too.
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { isConnectorError, type ConnectorContext, type ConnectorWebhooks } from '../../connectors/connector';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { getLogger } from '../common/logger';
import { PollingLoop } from '../common/polling-loop';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { connectorContextFor } from '../integrations/connector-context';
import { IntegrationEntity } from '../integrations/integration.entity';
import { CREDENTIAL_VAULT, CredentialVault, sealedKid } from '../integrations/vault';
import { rowsOf } from '../database/rows';
import { SYNC_CONFIG, SyncConfig } from '../sync/sync.config';
import { intervalSql } from '../sync/sync-schedules.repository';

export type SubscriptionStatus = 'PENDING' | 'ACTIVE' | 'FAILED' | 'UNAVAILABLE' | 'DISABLED';

export interface SubscriptionRow {
  integration_id: string;
  token: string;
  /** The HRIS-issued signing secret, sealed; null where deliveries carry the token instead. */
  secret: string | null;
  remote_id: string | null;
  status: SubscriptionStatus;
  status_reason: string | null;
  checked_at: Date | null;
}

@Injectable()
export class InboundSubscriptions implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = getLogger('inbound-subscriptions');
  private checking: Promise<void> | null = null;
  private readonly loop: PollingLoop;

  constructor(
    private readonly ds: DataSource,
    @Inject(CREDENTIAL_VAULT) private readonly vault: CredentialVault,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(SYNC_CONFIG) private readonly sync: SyncConfig,
    private readonly connectors: ConnectorRegistry,
  ) {
    const intervalMs = Math.min(config.inbound.checkMinutes * 60_000, 60_000);
    this.loop = new PollingLoop({ name: 'subscription check', intervalMs, log: this.log, tick: () => this.checkDue() });
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api' || !this.config.inbound.enabled) return;
    this.loop.start(Math.min(this.config.inbound.checkMinutes * 60_000, 60_000));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.checking;
  }

  /** The inbound URL of an integration. */
  urlFor(integrationId: string): string {
    return `${this.config.publicUrl}/inbound/${encodeURIComponent(integrationId)}`;
  }

  async get(integrationId: string): Promise<SubscriptionRow | null> {
    return rowsOf<SubscriptionRow>(await this.ds.query(`SELECT * FROM inbound_subscriptions WHERE integration_id = $1`, [integrationId]))[0] ?? null;
  }

  /** Connect, relink, enable: (re)subscribes. Never throws: the outcome is the row's status and reason. */
  async ensure(integrationId: string): Promise<SubscriptionStatus | null> {
    const i = await this.ds.getRepository(IntegrationEntity).findOneBy({ id: integrationId });
    const webhooks = i ? this.connectors.find(i.tool)?.webhooks : undefined;
    if (!i || !webhooks || i.status === 'INACTIVE') return null;
    if (!this.config.inbound.enabled) return null;
    if (!this.config.inbound.publicUrlSet)
      return this.save(i.id, 'UNAVAILABLE', 'PUBLIC_URL is not set, so the HR system cannot reach the gateway; changes arrive by polling.');
    const ctx = connectorContextFor(i, this.vault.open(i.credentials), this.config);
    try {
      const avail = await webhooks.available(ctx);
      if (!avail.ok) return this.save(i.id, 'UNAVAILABLE', avail.missing.message);
      const old = await this.get(i.id);
      if (old?.remote_id) await webhooks.unsubscribe(ctx, old.remote_id).catch(() => undefined); // relink: the old one may belong to other credentials
      const url = this.urlFor(i.id);
      await this.removeStrays(i.id, ctx, webhooks, url);
      const token = randomBytes(32).toString('base64url');
      // Saved before subscribing: a delivery can arrive before the create call returns. (A signed one
      // cannot be checked until the secret is stored and is refused; the reconciliation delta catches it.)
      await this.save(i.id, 'PENDING', null, { token, remoteId: null, secret: null });
      const { id, secret } = await webhooks.subscribe(ctx, url, token);
      return this.save(i.id, 'ACTIVE', null, { remoteId: id, secret: secret ?? null });
    } catch (e) {
      if (!isConnectorError(e)) this.log.error({ integration_id: i.id, err: e }, 'subscribing failed with an internal error');
      return this.save(i.id, 'FAILED', isConnectorError(e) ? e.message : 'internal error');
    }
  }

  /**
   * Deletes the subscriptions at this integration's URL, which only this integration subscribes: at this
   * point the gateway knows of none (the stored one was just deleted), so any there was left by a create
   * whose answer never arrived, and delivers under a token or secret that was never stored. Best effort:
   * a list or delete that fails leaves them, as before, and does not stop the new subscription.
   */
  private async removeStrays(integrationId: string, ctx: ConnectorContext<unknown>, webhooks: ConnectorWebhooks<unknown>, url: string): Promise<void> {
    try {
      for (const s of await webhooks.list(ctx)) {
        if (s.url !== url) continue;
        await webhooks.unsubscribe(ctx, s.id);
        this.log.warn({ integration_id: integrationId, remote_id: s.id }, 'deleted a subscription at the HR system that the gateway had lost track of');
      }
    } catch (e) {
      this.log.warn({ integration_id: integrationId, err: isConnectorError(e) ? e : String(e) }, 'could not check the HR system for subscriptions left behind');
    }
  }

  /**
   * ensure() without waiting (connect, enable): a rejection that escapes it (the database
   * gone, a key missing) is logged here rather than left unhandled, which would end the process.
   */
  ensureInBackground(integrationId: string): void {
    this.ensure(integrationId).catch((err: unknown) => this.log.error({ integration_id: integrationId, err }, 'subscribing failed with an internal error'));
  }

  /** Disable, delete: stops accepting deliveries at once, then removes the subscription at the HRIS (best effort). */
  async remove(integrationId: string): Promise<void> {
    const row = await this.get(integrationId);
    if (!row) return;
    await this.save(integrationId, 'DISABLED', null, { remoteId: null });
    const i = await this.ds.getRepository(IntegrationEntity).findOneBy({ id: integrationId });
    const webhooks = i ? this.connectors.find(i.tool)?.webhooks : undefined;
    if (!i || !webhooks || !row.remote_id) return;
    try {
      await webhooks.unsubscribe(connectorContextFor(i, this.vault.open(i.credentials), this.config), row.remote_id);
    } catch (e) {
      this.log.warn({ integration_id: integrationId, err: isConnectorError(e) ? e : String(e) }, 'could not delete the subscription at the HR system');
    }
  }

  /** Health check of one subscription: one the HRIS lost or disabled is created again. */
  async check(integrationId: string): Promise<SubscriptionStatus | null> {
    const row = await this.get(integrationId);
    const i = await this.ds.getRepository(IntegrationEntity).findOneBy({ id: integrationId });
    const webhooks = i ? this.connectors.find(i.tool)?.webhooks : undefined;
    if (!i || !webhooks || i.status === 'INACTIVE') return null;
    // A token or secret sealed with a key no longer configured (ENCRYPTION_ALLOW_MISSING_KEYS) fails every
    // delivery: the subscription is created again, with a new token sealed by the current key.
    if (!row?.remote_id || row.status !== 'ACTIVE' || !this.opens(row)) return this.ensure(integrationId);
    try {
      const health = await webhooks.check(connectorContextFor(i, this.vault.open(i.credentials), this.config), row.remote_id);
      if (health === 'ACTIVE') return this.save(i.id, 'ACTIVE', null);
      this.log.warn({ integration_id: i.id, health }, 'the HR system lost the subscription; creating it again');
      return this.ensure(integrationId);
    } catch (e) {
      return this.save(i.id, 'FAILED', isConnectorError(e) ? e.message : 'internal error');
    }
  }

  /** Whether a configured key opens the subscription's sealed token and secret. */
  private opens(row: SubscriptionRow): boolean {
    return [row.token, row.secret].every((sealed) => !sealed || this.vault.hasKey(sealedKid(sealed) ?? ''));
  }

  /** Integrations without a subscription, or whose last check is older than the interval; each claimed so processes do not race. */
  checkDue(): Promise<void> {
    this.checking ??= (async () => {
      const tools = this.connectors.ids().filter((id) => this.connectors.get(id).webhooks);
      const due = rowsOf<{ id: string }>(
        await this.ds.query(
          `SELECT i.id FROM integrations i LEFT JOIN inbound_subscriptions b ON b.integration_id = i.id
          WHERE i.status <> 'INACTIVE' AND i.tool = ANY($2::text[]) AND (b.integration_id IS NULL OR (b.status <> 'DISABLED'
                AND COALESCE(b.checked_at, b.updated_at) < now() - make_interval(mins => $1::int)))
          LIMIT 50`,
          [this.config.inbound.checkMinutes, tools],
        ),
      );
      for (const d of due) if (await this.claim(d.id)) await this.check(d.id);
    })()
      .catch((e) => this.log.error({ err: e }, 'subscription check failed'))
      .finally(() => (this.checking = null));
    return this.checking;
  }

  /** Takes the check of one integration for this process: a row is created or its check time moved, by one process only. */
  private async claim(integrationId: string): Promise<boolean> {
    const inserted = rowsOf(
      await this.ds.query(
        `INSERT INTO inbound_subscriptions (integration_id, token, status, checked_at) VALUES ($1, '', 'PENDING', now()) ON CONFLICT (integration_id) DO NOTHING RETURNING 1`,
        [integrationId],
      ),
    );
    if (inserted.length) return true;
    const moved = rowsOf(
      await this.ds.query(
        `UPDATE inbound_subscriptions SET checked_at = now() WHERE integration_id = $1 AND status <> 'DISABLED'
          AND COALESCE(checked_at, updated_at) < now() - make_interval(mins => $2::int) RETURNING 1`,
        [integrationId, this.config.inbound.checkMinutes],
      ),
    );
    return moved.length > 0;
  }

  private async save(
    integrationId: string,
    status: SubscriptionStatus,
    reason: string | null,
    set: { token?: string; remoteId?: string | null; secret?: string | null } = {},
  ): Promise<SubscriptionStatus> {
    const token = set.token ? this.vault.seal(set.token) : null;
    const secret = set.secret ? this.vault.seal(set.secret) : null;
    await this.ds.query(
      `INSERT INTO inbound_subscriptions (integration_id, token, remote_id, secret, status, status_reason, checked_at)
       VALUES ($1, COALESCE($2, ''), $3, $7, $4, $5, now())
       ON CONFLICT (integration_id) DO UPDATE SET
         token = COALESCE($2, inbound_subscriptions.token),
         remote_id = CASE WHEN $6 THEN $3 ELSE inbound_subscriptions.remote_id END,
         secret = CASE WHEN $8 THEN $7 ELSE inbound_subscriptions.secret END,
         status = $4, status_reason = $5, checked_at = now(), updated_at = now()`,
      [integrationId, token, set.remoteId ?? null, status, reason, 'remoteId' in set, secret, 'secret' in set],
    );
    if (status !== 'ACTIVE' && status !== 'PENDING') {
      this.log.info({ integration_id: integrationId, status, reason }, 'inbound subscription status');
      // Without notifications the delta is the only path again: back to the integration's own interval at once.
      await this.ds.query(
        `UPDATE sync_schedules s SET next_delta_at = LEAST(s.next_delta_at, now() + ${intervalSql('delta_interval_minutes', '$2')})
           FROM integrations i WHERE i.id = s.integration_id AND s.integration_id = $1`,
        [integrationId, this.sync.deltaIntervalMinutes],
      );
    }
    return status;
  }
}
