import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CheckResult, HrisConnector, MissingItem } from '../../connectors/connector';
import { AttemptWindows, minutesUntil } from '../common/attempt-windows';
import { getLogger } from '../common/logger';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { connectorContextFor } from '../integrations/connector-context';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { IntegrationEntity, IntegrationFilters } from '../integrations/integration.entity';
import { transition } from '../integrations/lifecycle';
import { IntegrationsService } from '../integrations/integrations.service';
import { CREDENTIAL_VAULT, CredentialVault } from '../integrations/vault';
import { InboundSubscriptions } from '../inbound/subscriptions.service';
import type { AppliedSettings } from '../integrations/management.settings';
import { IntegrationSettingsService } from '../integrations/management.settings.service';
import { SyncService } from '../sync/sync.service';
import { ConnectLink } from './connect-links.store';
import { ConnectLinksService } from './connect-links.service';
import { FILTER_DIMENSIONS, type CheckSummary, type FilterDimension, type FilterOptions, type FlowFailure } from './connect.types';
import { connectionFlowFailed, integrationCreated } from './events';
import { readFilterOptions } from './filter-options';
import { hashToken, newActivationToken } from './tokens';

/** "Test connection" budget per link. */
export const TEST_ATTEMPTS_PER_WINDOW = 10;
export const TEST_WINDOW_MS = 10 * 60_000;
export const CHECK_TIMEOUT_MS = 30_000;
export const ACTIVATION_TOKEN_TTL_MS = 10 * 60_000;

/** Why a step could not go ahead; the page shows it in the customer's language. */
export class FlowRefusal extends Error {
  constructor(
    readonly reason: 'rate_limited' | 'not_verified' | 'bad_filter' | 'used' | 'expired' | 'input',
    readonly detail: { minutes?: number; fields?: Array<{ field: string; message: string; empty: boolean }> } = {},
  ) {
    super(reason);
  }
}

const FILTER_FIELDS: Record<FilterDimension, keyof IntegrationFilters> = {
  legal_entities: 'legal_entity_remote_ids',
  locations: 'location_remote_ids',
  departments: 'group_remote_ids',
  statuses: 'employment_statuses',
  employment_types: 'employment_types',
};

/** Items the connector marks optional (itself or through its requirement) are warnings, not blockers. */
const isWarning = (connector: HrisConnector<unknown>, m: MissingItem) =>
  m.optional === true || connector.connect.requirements.some((r) => r.kind === m.kind && r.key === m.key && r.optional === true);

/** The form's value of a field: secrets exactly as typed, other values trimmed. */
const formValue = (form: Record<string, unknown>, key: string, secret: boolean): string => {
  const v = typeof form[key] === 'string' ? (form[key] as string) : '';
  return secret ? v : v.trim();
};

/** The customer's side of the flow: test credentials, choose filters, finish. */
@Injectable()
export class ConnectFlowService {
  private readonly log = getLogger('connect');

  constructor(
    private readonly ds: DataSource,
    private readonly links: ConnectLinksService,
    private readonly integrations: IntegrationsService,
    private readonly sync: SyncService,
    private readonly attempts: AttemptWindows,
    private readonly settings: IntegrationSettingsService,
    private readonly subscriptions: InboundSubscriptions,
    @Inject(CREDENTIAL_VAULT) private readonly vault: CredentialVault,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly connectors: ConnectorRegistry,
  ) {}

  /**
   * Credentials for a test, from the form's fields (`CredentialField.key`). A field left
   * empty keeps the value saved by an earlier test as long as no non-secret value changed:
   * "Test again" needs no re-typing of secrets, and new credentials never mix with old ones.
   */
  credentialsFor(link: ConnectLink, form: Record<string, unknown>): Record<string, unknown> {
    const connector = this.connectors.get(link.tool);
    const fields = connector.credentials.fields;
    const input: Record<string, string> = Object.fromEntries(fields.map((f) => [f.key, formValue(form, f.key, f.secret)]));
    if (link.pendingCredentials) {
      const saved = this.vault.open<Record<string, unknown>>(link.pendingCredentials);
      const same = fields.every((f) => f.secret || !input[f.key] || input[f.key] === String(saved[f.key] ?? ''));
      if (same) for (const f of fields) if (!input[f.key] && typeof saved[f.key] === 'string') input[f.key] = saved[f.key] as string;
    }
    const checked = connector.credentials.validate(input);
    if (!checked.ok) throw new FlowRefusal('input', { fields: checked.errors.map((e) => ({ ...e, empty: !input[e.field] })) });
    return checked.value as Record<string, unknown>;
  }

  async testConnection(link: ConnectLink, form: Record<string, unknown>): Promise<CheckSummary> {
    const attempt = await this.attempts.hit(`connect-test:${link.id}`, TEST_WINDOW_MS);
    if (attempt.count > TEST_ATTEMPTS_PER_WINDOW) {
      const minutes = minutesUntil(attempt.resetAt);
      if (attempt.count === TEST_ATTEMPTS_PER_WINDOW + 1)
        await this.fail(
          link,
          { kind: 'RATE_LIMITED', message: `More than ${TEST_ATTEMPTS_PER_WINDOW} tests within ${TEST_WINDOW_MS / 60_000} minutes.` },
          false,
        );
      throw new FlowRefusal('rate_limited', { minutes });
    }
    const credentials = this.credentialsFor(link, form);
    const connector = this.connectors.get(link.tool);
    const ctx = connectorContextFor({ id: `connect-link:${link.id}`, tool: link.tool, baseUrl: await this.baseUrlFor(link) }, credentials, this.config, {
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    let result: CheckResult;
    try {
      result = await connector.check(ctx);
    } catch (e) {
      this.log.warn({ link_id: link.id, err: e }, 'connect: credential check failed unexpectedly');
      result = { ok: false, error: { kind: 'UNREACHABLE', message: 'The HRIS could not be reached.' }, missing: [] };
    }
    const warning = (m: MissingItem) => isWarning(connector, m);
    const summary: CheckSummary = {
      ok: !result.error && !result.missing.some((m) => !warning(m)),
      // Only non-secret values are stored with the check and shown back in the form.
      values: Object.fromEntries(connector.credentials.fields.filter((f) => !f.secret).map((f) => [f.key, String(credentials[f.key] ?? '')])),
      ...(result.error ? { error: result.error } : {}),
      missing: result.missing.filter((m) => !warning(m)),
      warnings: result.missing.filter(warning),
      checkedAt: new Date().toISOString(),
    };
    // Credentials the HRIS accepted are kept (sealed) so "Test again" needs no re-typing; rejected ones are dropped.
    const keep = !result.error;
    const filterOptions = summary.ok && link.enableFiltering ? await this.withCurrentFilters(link, await readFilterOptions(connector, ctx)) : null;
    await this.links.store.saveCheck(link.id, {
      pendingCredentials: keep ? this.vault.seal(credentials) : null,
      verified: summary.ok,
      lastCheck: summary,
      filterOptions,
    });
    this.log.info(
      { link_id: link.id, ok: summary.ok, error: result.error?.kind, missing: summary.missing.map((m) => m.key), warnings: summary.warnings.map((m) => m.key) },
      'connect: credentials tested',
    );
    if (!summary.ok) {
      await this.fail(
        link,
        result.error
          ? { kind: result.error.kind, message: result.error.message }
          : { kind: 'MISSING', message: 'Attributes or permissions are missing.', missing: summary.missing.map((m) => m.key) },
        true,
      );
    }
    return summary;
  }

  /** The filters a relink starts from, per page dimension (none for a new integration). */
  async currentFilters(link: ConnectLink): Promise<Partial<Record<FilterDimension, string[]>>> {
    if (!link.relinkIntegrationId) return {};
    const integration = await this.integrations.findById(link.relinkIntegrationId);
    return Object.fromEntries(FILTER_DIMENSIONS.map((dim) => [dim, integration?.filters?.[FILTER_FIELDS[dim]] ?? []]));
  }

  /**
   * A relink offers the values chosen before even when the bounded read did not meet them
   * (a large company, a department that is empty now), named as the last sync stored them.
   */
  private async withCurrentFilters(link: ConnectLink, options: FilterOptions): Promise<FilterOptions> {
    if (!link.relinkIntegrationId) return options;
    const current = await this.currentFilters(link);
    const stored = await this.settings.store.choices(link.relinkIntegrationId);
    const names: Partial<Record<FilterDimension, { id: string; name: string }[]>> = {
      legal_entities: stored.legal_entity_remote_ids,
      locations: stored.location_remote_ids,
      departments: stored.group_remote_ids,
    };
    for (const dim of FILTER_DIMENSIONS) {
      for (const id of current[dim] ?? []) {
        if (options[dim].some((o) => o.id === id)) continue;
        options[dim].push({ id, name: names[dim]?.find((n) => n.id === id)?.name ?? id });
      }
    }
    return options;
  }

  /** A relink tests against the integration's own API origin; new integrations use the tool's configured one. */
  private async baseUrlFor(link: ConnectLink): Promise<string | null> {
    if (!link.relinkIntegrationId) return null;
    return (await this.integrations.findById(link.relinkIntegrationId))?.baseUrl ?? null;
  }

  private async fail(link: ConnectLink, f: Omit<FlowFailure, 'at'>, webhook: boolean): Promise<void> {
    await this.ds.transaction(async (em) => {
      await this.links.store.recordFailure(em, link.id, { at: new Date().toISOString(), ...f });
      if (webhook) await connectionFlowFailed(em, link, `${this.config.publicUrl}/v1/connect/links/${link.id}`);
    });
  }

  async reset(link: ConnectLink): Promise<void> {
    await this.links.store.clearCredentials(link.id);
  }

  /** Selected filter values, each checked against the values offered. */
  filtersFrom(link: ConnectLink, form: Record<string, unknown>): IntegrationFilters {
    const filters: IntegrationFilters = {};
    if (!link.enableFiltering || !link.filterOptions) return filters;
    for (const dim of FILTER_DIMENSIONS) {
      const raw = form[dim];
      const picked = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
      const offered = new Set(link.filterOptions[dim].map((o) => o.id));
      if (picked.some((v) => !offered.has(v))) throw new FlowRefusal('bad_filter');
      if (picked.length) (filters[FILTER_FIELDS[dim]] as string[]) = [...new Set(picked)];
    }
    return filters;
  }

  /**
   * Creates the integration (or, for a relink, replaces its credentials), sends its
   * events and issues the activation token, all in one transaction; then starts the
   * first sync. Returns the activation token for embedded links.
   */
  async finish(link: ConnectLink, form: Record<string, unknown>): Promise<{ integrationId: string; activationToken: string | null }> {
    if (!link.verifiedAt || !link.pendingCredentials) throw new FlowRefusal('not_verified');
    const filters = this.filtersFrom(link, form);
    const credentials = this.vault.open<Record<string, unknown>>(link.pendingCredentials);
    const activationToken = link.linkType === 'EMBEDDED' ? newActivationToken() : null;
    let resumeSync = true;
    // A relink's filter choice commits with its credentials: never new credentials with the choice lost.
    const filterActor = { type: 'CONNECT_PAGE' as const, id: link.id };
    let filterChange: AppliedSettings | null = null;
    const integrationId = await this.ds.transaction(async (em) => {
      if (!(await this.links.store.claim(em, link.id))) throw new FlowRefusal(link.expiresAt.getTime() <= Date.now() ? 'expired' : 'used');
      let integration: IntegrationEntity;
      if (link.relinkIntegrationId) {
        const found = await em.getRepository(IntegrationEntity).findOne({ where: { id: link.relinkIntegrationId }, lock: { mode: 'pessimistic_write' } });
        if (!found) throw new FlowRefusal('used');
        integration = found;
        await this.integrations.updateCredentials(integration, credentials, em);
        if (integration.status === 'INVALID') await transition(em, integration, { status: 'ACTIVE', statusReason: null });
        resumeSync = integration.status !== 'INACTIVE';
        if (link.enableFiltering && link.filterOptions) {
          // The customer's choice on the filter step, recorded and applied like any settings change (audit, event, full sync).
          const patch = { filters: Object.fromEntries(FILTER_DIMENSIONS.map((dim) => [FILTER_FIELDS[dim], filters[FILTER_FIELDS[dim]] ?? []])) };
          filterChange = await this.settings.applyWithin(em, integration.id, patch, filterActor);
        }
      } else {
        integration = await this.integrations.create(
          {
            environmentId: link.environmentId,
            tool: link.tool,
            credentials,
            endUserOrganizationName: link.endUserOrganizationName,
            endUserEmail: link.endUserEmail,
            endUserOriginId: link.endUserOriginId,
            filters,
          },
          em,
        );
        await integrationCreated(em, integration);
      }
      await this.links.store.setIntegration(em, link.id, integration.id);
      if (activationToken) {
        await this.links.store.insertActivationToken(em, {
          tokenHash: hashToken(activationToken),
          environmentId: link.environmentId,
          integrationId: integration.id,
          linkId: link.id,
          expiresAt: new Date(Date.now() + ACTIVATION_TOKEN_TTL_MS),
        });
      }
      return integration.id;
    });
    this.log.info({ link_id: link.id, integration_id: integrationId, relink: !!link.relinkIntegrationId }, 'connect: flow completed');
    if (filterChange) await this.settings.settled(integrationId, filterActor, filterChange);
    // Connect and relink subscribe to change notifications (new credentials may allow them); the outcome is its status.
    this.subscriptions.ensureInBackground(integrationId);
    if (resumeSync) {
      try {
        await this.sync.requestSync(integrationId, { type: 'FULL', trigger: link.relinkIntegrationId ? 'RELINK' : 'FIRST_SYNC' });
      } catch (e) {
        // The integration exists and the scheduler picks it up; the customer's flow is done either way.
        this.log.error({ integration_id: integrationId, err: e }, 'connect: could not queue the first sync');
      }
    }
    return { integrationId, activationToken };
  }
}
