import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../database/rows';
import type { CheckSummary, FilterOptions, FlowFailure } from './connect.types';

export type LinkType = 'EMBEDDED' | 'MAGIC_LINK';

export interface ConnectLink {
  id: string;
  environmentId: string;
  linkType: LinkType;
  language: string;
  tool: string;
  category: string;
  endUserEmail: string | null;
  endUserOrganizationName: string;
  endUserOriginId: string | null;
  enableFiltering: boolean;
  relinkIntegrationId: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  integrationId: string | null;
  csrfKey: string;
  /** Sealed by the CredentialVault once the HRIS accepted them; never rendered. */
  pendingCredentials: string | null;
  verifiedAt: Date | null;
  lastCheck: CheckSummary | null;
  filterOptions: FilterOptions | null;
  failures: FlowFailure[];
  createdAt: Date;
}

export type NewLink = Pick<
  ConnectLink,
  | 'id'
  | 'environmentId'
  | 'linkType'
  | 'language'
  | 'tool'
  | 'endUserEmail'
  | 'endUserOrganizationName'
  | 'endUserOriginId'
  | 'enableFiltering'
  | 'relinkIntegrationId'
  | 'expiresAt'
  | 'csrfKey'
>;

const COLUMNS = `id, environment_id, link_type, language, tool, category, end_user_email, end_user_organization_name, end_user_origin_id,
  enable_filtering, relink_integration_id, expires_at, used_at, integration_id, csrf_key, pending_credentials, verified_at,
  last_check, filter_options, failures, created_at`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw pg row, typed field by field below
function toLink(r: Record<string, any>): ConnectLink {
  return {
    id: r.id,
    environmentId: r.environment_id,
    linkType: r.link_type,
    language: r.language,
    tool: r.tool,
    category: r.category,
    endUserEmail: r.end_user_email,
    endUserOrganizationName: r.end_user_organization_name,
    endUserOriginId: r.end_user_origin_id,
    enableFiltering: r.enable_filtering,
    relinkIntegrationId: r.relink_integration_id,
    expiresAt: new Date(r.expires_at),
    usedAt: r.used_at ? new Date(r.used_at) : null,
    integrationId: r.integration_id,
    csrfKey: r.csrf_key,
    pendingCredentials: r.pending_credentials,
    verifiedAt: r.verified_at ? new Date(r.verified_at) : null,
    lastCheck: r.last_check,
    filterOptions: r.filter_options,
    failures: r.failures ?? [],
    createdAt: new Date(r.created_at),
  };
}

/** SQL for connect_links and activation_tokens (the tables this module owns). */
export class ConnectLinksStore {
  constructor(private readonly ds: DataSource) {}

  async insert(link: NewLink, tokenHash: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO connect_links (id, environment_id, token_hash, link_type, language, tool, end_user_email, end_user_organization_name,
         end_user_origin_id, enable_filtering, relink_integration_id, expires_at, csrf_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        link.id,
        link.environmentId,
        tokenHash,
        link.linkType,
        link.language,
        link.tool,
        link.endUserEmail,
        link.endUserOrganizationName,
        link.endUserOriginId,
        link.enableFiltering,
        link.relinkIntegrationId,
        link.expiresAt,
        link.csrfKey,
      ],
    );
  }

  async byTokenHash(tokenHash: string): Promise<ConnectLink | null> {
    const rows: Record<string, unknown>[] = await this.ds.query(`SELECT ${COLUMNS} FROM connect_links WHERE token_hash = $1`, [tokenHash]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  async byId(environmentId: string, id: string): Promise<ConnectLink | null> {
    const rows: Record<string, unknown>[] = await this.ds.query(`SELECT ${COLUMNS} FROM connect_links WHERE id = $1 AND environment_id = $2`, [
      id,
      environmentId,
    ]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  async saveCheck(
    id: string,
    update: { pendingCredentials: string | null; verified: boolean; lastCheck: CheckSummary; filterOptions?: FilterOptions | null },
  ): Promise<void> {
    await this.ds.query(
      `UPDATE connect_links SET pending_credentials = $2, verified_at = CASE WHEN $3::boolean THEN now() ELSE NULL END, last_check = $4::jsonb,
         filter_options = $5::jsonb WHERE id = $1 AND used_at IS NULL`,
      [id, update.pendingCredentials, update.verified, JSON.stringify(update.lastCheck), update.filterOptions ? JSON.stringify(update.filterOptions) : null],
    );
  }

  /** Forget the customer's credentials (they asked to enter others). */
  async clearCredentials(id: string): Promise<void> {
    await this.ds.query(
      `UPDATE connect_links SET pending_credentials = NULL, verified_at = NULL, last_check = NULL, filter_options = NULL WHERE id = $1 AND used_at IS NULL`,
      [id],
    );
  }

  /** Keeps the last 20 failures, for GET /v1/connect/links/{id} (the log_url of connection-flow-failed). */
  async recordFailure(em: EntityManager, id: string, failure: FlowFailure): Promise<void> {
    await em.query(
      `UPDATE connect_links SET failures = (SELECT coalesce(jsonb_agg(x.f ORDER BY x.n), '[]'::jsonb) FROM
         (SELECT e.f, e.n FROM jsonb_array_elements(failures || jsonb_build_array($2::jsonb)) WITH ORDINALITY AS e(f, n)
           ORDER BY e.n OFFSET greatest(jsonb_array_length(failures) + 1 - 20, 0)) x)
       WHERE id = $1`,
      [id, JSON.stringify(failure)],
    );
  }

  /**
   * Marks the link used, in the caller's transaction, only if it still is unused and
   * unexpired: of two concurrent "finish" posts exactly one wins. Clears the sealed
   * credentials, which now live on the integration.
   */
  async claim(em: EntityManager, id: string): Promise<boolean> {
    const raw: unknown = await em.query(
      `UPDATE connect_links SET used_at = now(), pending_credentials = NULL
        WHERE id = $1 AND used_at IS NULL AND expires_at > now() AND verified_at IS NOT NULL RETURNING id`,
      [id],
    );
    return rowsOf(raw).length === 1;
  }

  async setIntegration(em: EntityManager, id: string, integrationId: string): Promise<void> {
    await em.query(`UPDATE connect_links SET integration_id = $2 WHERE id = $1`, [id, integrationId]);
  }

  async insertActivationToken(
    em: EntityManager,
    t: { tokenHash: string; environmentId: string; integrationId: string; linkId: string; expiresAt: Date },
  ): Promise<void> {
    await em.query(`INSERT INTO activation_tokens (token_hash, environment_id, integration_id, link_id, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      t.tokenHash,
      t.environmentId,
      t.integrationId,
      t.linkId,
      t.expiresAt,
    ]);
  }

  /** Single use: the one UPDATE that marks it used is also the lookup. */
  async redeemActivationToken(environmentId: string, tokenHash: string): Promise<string | null> {
    const raw: unknown = await this.ds.query(
      `UPDATE activation_tokens SET used_at = now()
        WHERE token_hash = $1 AND environment_id = $2 AND used_at IS NULL AND expires_at > now() RETURNING integration_id`,
      [tokenHash, environmentId],
    );
    return rowsOf<{ integration_id: string }>(raw)[0]?.integration_id ?? null;
  }
}
