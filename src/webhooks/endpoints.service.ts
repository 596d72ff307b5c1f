import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inputInvalid, notFound } from '../common/errors';
import { randomId } from '../common/ids';
import { assertPublicUrl } from '../common/ssrf';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { CREDENTIAL_VAULT, CredentialVault } from '../integrations/vault';
import { rowsOf } from '../database/rows';
import { KOMBO_EVENT_TYPES } from './outbox';
import { generateSecret } from './signing';
import { webhookUrlPolicy } from './sender';
import { WEBHOOK_CONFIG, WebhookConfig } from './webhooks.config';

export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  record_events: boolean;
  enabled: boolean;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface EndpointInput {
  url?: string;
  description?: string | null;
  events?: string[];
  record_events?: boolean;
  enabled?: boolean;
}

const COLUMNS = `id, url, description, events, record_events, enabled,
  CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS previous_secret_expires_at, created_at, updated_at`;

function view(r: Record<string, unknown>): EndpointView {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: r.id as string,
    url: r.url as string,
    description: (r.description as string | null) ?? null,
    events: r.events as string[],
    record_events: r.record_events as boolean,
    enabled: r.enabled as boolean,
    previous_secret_expires_at: iso(r.previous_secret_expires_at),
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}

/**
 * Webhook endpoints of an environment. Secrets are sealed with the credential vault and
 * returned only by create and rotate; an endpoint of another environment is a 404.
 */
@Injectable()
export class EndpointsService {
  constructor(
    private readonly ds: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly gatewayConfig: GatewayConfig,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
    @Inject(CREDENTIAL_VAULT) private readonly vault: CredentialVault,
  ) {}

  async create(environmentId: string, input: EndpointInput & { url: string }): Promise<EndpointView & { secret: string }> {
    await this.checkUrl(input.url);
    const events = this.checkEvents(input.events ?? []);
    const secret = generateSecret();
    const rows: Record<string, unknown>[] = await this.ds.query(
      `INSERT INTO webhook_endpoints (id, environment_id, url, description, events, record_events, enabled, secret)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [randomId(), environmentId, input.url, input.description ?? null, events, input.record_events ?? false, input.enabled ?? true, this.vault.seal(secret)],
    );
    return { ...view(rows[0]), secret };
  }

  async list(environmentId: string): Promise<EndpointView[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE environment_id = $1 ORDER BY created_at, id`, [
      environmentId,
    ]);
    return rows.map(view);
  }

  async get(environmentId: string, id: string): Promise<EndpointView> {
    const rows: Record<string, unknown>[] = await this.ds.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE environment_id = $1 AND id = $2`, [
      environmentId,
      id,
    ]);
    if (!rows.length) throw endpointNotFound(id);
    return view(rows[0]);
  }

  async update(environmentId: string, id: string, input: EndpointInput): Promise<EndpointView> {
    if (input.url !== undefined) await this.checkUrl(input.url);
    const events = input.events === undefined ? null : this.checkEvents(input.events);
    const rows = rowsOf<Record<string, unknown>>(
      await this.ds.query(
        `UPDATE webhook_endpoints SET
           url = coalesce($3, url),
           description = CASE WHEN $4::boolean THEN $5 ELSE description END,
           events = coalesce($6, events),
           record_events = coalesce($7, record_events),
           enabled = coalesce($8, enabled),
           updated_at = now()
         WHERE environment_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        [
          environmentId,
          id,
          input.url ?? null,
          input.description !== undefined,
          input.description ?? null,
          events,
          input.record_events ?? null,
          input.enabled ?? null,
        ],
      ),
    );
    if (!rows.length) throw endpointNotFound(id);
    return view(rows[0]);
  }

  /** Deletes the endpoint with its pending deliveries and its delivery log. */
  async remove(environmentId: string, id: string): Promise<void> {
    const rows = rowsOf(await this.ds.query(`DELETE FROM webhook_endpoints WHERE environment_id = $1 AND id = $2 RETURNING id`, [environmentId, id]));
    if (!rows.length) throw endpointNotFound(id);
  }

  /** A new secret; the old one keeps signing (alongside) until the grace period ends. */
  async rotateSecret(environmentId: string, id: string): Promise<EndpointView & { secret: string }> {
    const secret = generateSecret();
    const rows = rowsOf<Record<string, unknown>>(
      await this.ds.query(
        `UPDATE webhook_endpoints
            SET previous_secret = secret,
                previous_secret_expires_at = now() + make_interval(secs => $4::float8 / 1000),
                secret = $3, updated_at = now()
          WHERE environment_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        [environmentId, id, this.vault.seal(secret), this.config.secretGraceMs],
      ),
    );
    if (!rows.length) throw endpointNotFound(id);
    return { ...view(rows[0]), secret };
  }

  private async checkUrl(url: string): Promise<void> {
    await assertPublicUrl(url, webhookUrlPolicy(this.gatewayConfig.allowPrivateNetworkTargets), 'url');
  }

  private checkEvents(events: string[]): string[] {
    const unknown = events.filter((e) => !(KOMBO_EVENT_TYPES as readonly string[]).includes(e));
    if (unknown.length)
      throw inputInvalid(`events: unknown event type(s) ${unknown.map((e) => `"${e}"`).join(', ')}; allowed: ${KOMBO_EVENT_TYPES.join(', ')}.`);
    return [...new Set(events)];
  }
}

export const endpointNotFound = (id: string) => notFound(`No webhook endpoint with the ID "${id}" exists in this environment.`);
