import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { GatewayError, inputInvalid, notFound } from '../common/errors';
import { randomId } from '../common/ids';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationsService } from '../integrations/integrations.service';
import { endUserOf } from '../integrations/lifecycle';
import { ConnectLink, ConnectLinksStore, LinkType } from './connect-links.store';
import type { CreateLinkDto, RelinkDto } from './connect.dto';
import { ACTIVATION_TOKEN_PREFIX, hashToken, isTokenShaped, newCsrfKey, newLinkToken } from './tokens';

/** Kombo's lifetimes: EMBEDDED links 1 hour, MAGIC_LINK links 1 year. */
export const DEFAULT_EXPIRY_MINUTES: Record<LinkType, number> = { EMBEDDED: 60, MAGIC_LINK: 525_600 };

export interface CreatedLink {
  link: string;
  expires_at: string;
}

export interface IntegrationByToken {
  id: string;
  tool: string;
  end_user_origin_id: string | null;
  end_user_organization_name: string;
  end_user_email: string | null;
  setup_status: IntegrationEntity['setupStatus'];
}

/** The API side of Kombo Connect: links are created here, activation tokens exchanged here. */
@Injectable()
export class ConnectLinksService {
  readonly store: ConnectLinksStore;

  constructor(
    private readonly ds: DataSource,
    private readonly integrations: IntegrationsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly connectors: ConnectorRegistry,
  ) {
    this.store = new ConnectLinksStore(ds);
  }

  async createLink(environmentId: string, body: CreateLinkDto): Promise<{ data: CreatedLink; warnings: { message: string }[] }> {
    const category = body.integration_category ?? 'HRIS';
    if (category !== 'HRIS') throw inputInvalid(`integration_category "${category}" is not available on this gateway; it connects HRIS tools.`);
    // Kombo requires a tool; this gateway takes its first registered one when none is named.
    const tool = body.integration_tool ?? this.connectors.defaultTool();
    if (!this.connectors.find(tool)) {
      throw inputInvalid(`integration_tool "${tool}" is not available on this gateway. Available tools: ${this.connectors.ids().join(', ')}.`);
    }
    const warnings: { message: string }[] = [];
    if (body.remote_environment) warnings.push({ message: 'remote_environment is not supported by this gateway and was ignored.' });
    if (body.enable_field_mapping) warnings.push({ message: 'enable_field_mapping is not supported by this gateway and was ignored.' });
    if (body.scope_config_id) warnings.push({ message: 'scope_config_id is not supported by this gateway and was ignored.' });
    const data = await this.issue(
      {
        environmentId,
        linkType: body.link_type ?? 'EMBEDDED',
        language: body.language ?? 'en',
        tool,
        endUserEmail: body.end_user_email,
        endUserOrganizationName: body.end_user_organization_name,
        endUserOriginId: body.end_user_origin_id ?? null,
        enableFiltering: body.enable_filtering ?? false,
        relinkIntegrationId: null,
      },
      body.expires_in_minutes,
    );
    return { data, warnings };
  }

  /** A link that replaces the credentials of an existing integration (same id, same data). */
  async relink(integration: IntegrationEntity, body: RelinkDto): Promise<{ data: CreatedLink; warnings: { message: string }[] }> {
    const data = await this.issue(
      {
        environmentId: integration.environmentId,
        linkType: body.link_type ?? 'EMBEDDED',
        language: body.language ?? 'en',
        tool: integration.tool,
        endUserEmail: integration.endUserEmail,
        endUserOrganizationName: integration.endUserOrganizationName,
        endUserOriginId: integration.endUserOriginId,
        enableFiltering: body.enable_filtering ?? true,
        relinkIntegrationId: integration.id,
      },
      body.expires_in_minutes,
    );
    return { data, warnings: body.scope_config_id ? [{ message: 'scope_config_id is not supported by this gateway and was ignored.' }] : [] };
  }

  private async issue(
    link: Omit<
      ConnectLink,
      | 'id'
      | 'expiresAt'
      | 'csrfKey'
      | 'category'
      | 'usedAt'
      | 'integrationId'
      | 'pendingCredentials'
      | 'verifiedAt'
      | 'lastCheck'
      | 'filterOptions'
      | 'failures'
      | 'createdAt'
    >,
    expiresInMinutes?: number,
  ): Promise<CreatedLink> {
    const token = newLinkToken();
    const expiresAt = new Date(Date.now() + (expiresInMinutes ?? DEFAULT_EXPIRY_MINUTES[link.linkType]) * 60_000);
    await this.store.insert({ ...link, id: randomId(), expiresAt, csrfKey: newCsrfKey() }, hashToken(token));
    return { link: `${this.config.publicUrl}/connect/${token}`, expires_at: expiresAt.toISOString() };
  }

  /** Exchanges an activation token (single use, short-lived) for the integration it created. */
  async integrationByToken(environmentId: string, token: string): Promise<IntegrationByToken> {
    const gone = () => notFound('This activation token is unknown, has expired or was already used. Activation tokens are valid once, for 10 minutes.');
    if (!isTokenShaped(token, ACTIVATION_TOKEN_PREFIX)) throw gone();
    const integrationId = await this.store.redeemActivationToken(environmentId, hashToken(token));
    if (!integrationId) throw gone();
    const i = await this.integrations.find(environmentId, integrationId);
    return {
      id: i.id,
      tool: i.tool,
      end_user_origin_id: i.endUserOriginId,
      end_user_organization_name: i.endUserOrganizationName,
      end_user_email: i.endUserEmail,
      setup_status: i.setupStatus,
    };
  }

  /** Our extension: where a link stands and why its attempts failed (the log_url of connection-flow-failed). */
  async describe(environmentId: string, id: string) {
    const link = await this.store.byId(environmentId, id);
    if (!link) throw new GatewayError('PLATFORM.NOT_FOUND', `No connect link with the ID "${id}" exists in this environment.`);
    const now = Date.now();
    return {
      id: link.id,
      link_type: link.linkType,
      tool: link.tool,
      language: link.language,
      status: link.usedAt ? 'USED' : link.expiresAt.getTime() <= now ? 'EXPIRED' : link.verifiedAt ? 'CREDENTIALS_VERIFIED' : 'OPEN',
      relink_integration_id: link.relinkIntegrationId,
      integration_id: link.integrationId,
      end_user: endUserOf(link),
      enable_filtering: link.enableFiltering,
      created_at: link.createdAt.toISOString(),
      expires_at: link.expiresAt.toISOString(),
      used_at: link.usedAt?.toISOString() ?? null,
      failures: link.failures,
    };
  }
}
