import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConnectorRegistry } from './connector-registry';
import { GatewayError, inputInvalid, integrationNotFound } from '../common/errors';
import { randomId } from '../common/ids';
import type { ConnectorContext } from '../../connectors/connector';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { connectorContextFor } from './connector-context';
import { CREDENTIAL_VAULT, CredentialVault, SecretUnreadableError } from './vault';
import { IntegrationEntity, IntegrationFilters, IntegrationSettings } from './integration.entity';

export interface CreateIntegrationInput {
  environmentId: string;
  tool: string;
  credentials: Record<string, unknown>;
  baseUrl?: string | null;
  endUserOrganizationName: string;
  endUserEmail?: string | null;
  endUserOriginId?: string | null;
  filters?: IntegrationFilters;
  settings?: IntegrationSettings;
  setupStatus?: IntegrationEntity['setupStatus'];
}

/**
 * Integrations and their credentials. Every lookup is scoped to an environment:
 * an integration of another environment is indistinguishable from a missing one.
 */
@Injectable()
export class IntegrationsService {
  constructor(
    private readonly ds: DataSource,
    @Inject(CREDENTIAL_VAULT) private readonly vault: CredentialVault,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly connectors: ConnectorRegistry,
  ) {}

  /** Creates the integration (optionally inside the caller's transaction, so events commit with it). */
  async create(input: CreateIntegrationInput, em: EntityManager = this.ds.manager): Promise<IntegrationEntity> {
    const connector = this.connectors.find(input.tool);
    if (!connector) throw inputInvalid(`Unknown tool "${input.tool}".`);
    const repo = em.getRepository(IntegrationEntity);
    const entity = repo.create({
      id: `${connector.tool.id}:${randomId()}`,
      environmentId: input.environmentId,
      tool: connector.tool.id,
      category: 'HRIS',
      status: 'ACTIVE',
      setupStatus: input.setupStatus ?? 'FINAL_SYNC_PENDING',
      endUserOrganizationName: input.endUserOrganizationName,
      endUserEmail: input.endUserEmail ?? null,
      endUserOriginId: input.endUserOriginId ?? null,
      credentials: this.vault.seal(input.credentials),
      baseUrl: input.baseUrl ?? null,
      filters: input.filters ?? {},
      settings: input.settings ?? {},
      statusReason: null,
      firstSyncCompletedAt: null,
      dataExpiredAt: null,
    });
    return repo.save(entity);
  }

  async find(environmentId: string, id: string): Promise<IntegrationEntity> {
    const found = await this.ds.getRepository(IntegrationEntity).findOneBy({ id, environmentId });
    if (!found) throw integrationNotFound(id);
    return found;
  }

  /** For background work that is not scoped by an API key. */
  async findById(id: string): Promise<IntegrationEntity | null> {
    return this.ds.getRepository(IntegrationEntity).findOneBy({ id });
  }

  /** The context for a live connector call on this integration (credentials opened, base URL, logger). */
  contextFor(integration: IntegrationEntity, opts: { signal?: AbortSignal } = {}): ConnectorContext<unknown> {
    return connectorContextFor(integration, this.credentialsOf(integration), this.config, opts);
  }

  credentialsOf<T = Record<string, unknown>>(integration: IntegrationEntity): T {
    try {
      return this.vault.open<T>(integration.credentials);
    } catch (e) {
      if (!(e instanceof SecretUnreadableError)) throw e;
      throw new GatewayError(
        'INTEGRATION.AUTHENTICATION_INVALID',
        "The integration's stored credentials cannot be decrypted by the gateway. Relink the integration, or ask the gateway's operator to restore its encryption key.",
      );
    }
  }

  async updateCredentials(integration: IntegrationEntity, credentials: Record<string, unknown>, em: EntityManager = this.ds.manager): Promise<void> {
    await em.getRepository(IntegrationEntity).update({ id: integration.id }, { credentials: this.vault.seal(credentials), updatedAt: new Date() });
  }

  async list(environmentId: string): Promise<IntegrationEntity[]> {
    return this.ds.getRepository(IntegrationEntity).find({ where: { environmentId }, order: { createdAt: 'ASC' } });
  }
}
