import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { ExpiringCache } from '../common/expiring-cache';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { onWake, wakeAfterCommit } from '../database/wake';
import type { IntegrationEntity } from '../integrations/integration.entity';

/** What a successful API-key lookup yields, as cached. */
export interface CachedKey {
  keyId: string;
  environmentId: string;
  /** When this process last recorded the key's use (api_keys.last_used_at), ms. */
  lastUsedAt: number;
}

/** Recording a key's use (ApiKeysService, at most once a minute per key) changes nothing cached. */
export const RECORD_KEY_USE_SQL = `UPDATE api_keys SET last_used_at = now() WHERE id = $1`;

/** Entries per cache: far more than the keys and integrations of a deployment's active clients. */
const MAX_ENTRIES = 10_000;

/**
 * Statements that change what the caches hold: any UPDATE or DELETE of an API key, an
 * integration or an environment (whose deletion cascades to both), as TypeORM writes
 * them (`UPDATE "integrations" SET …`) or as raw SQL (`DELETE FROM integrations …`).
 */
const ACCESS_WRITE = /^\s*(?:UPDATE|DELETE\s+FROM)\s+"?(?:api_keys|integrations|environments)"?\s/i;

/**
 * The per-request lookups of the API, kept in memory for API_ACCESS_CACHE_SECONDS: API
 * keys by their hash (ApiKeysService.authenticate) and integrations by environment and
 * id (IntegrationScopeGuard, reads only). Both are dropped whole whenever an API key,
 * integration or environment changes:
 * - in this process, when the writing statement's transaction commits (any statement
 *   through this DataSource, seen by a TypeORM subscriber, whoever issued it);
 * - in every process, by the `hgw_access` NOTIFY that triggers on those tables send at
 *   commit (migration AccessInvalidation), received on the shared LISTEN connection of
 *   src/database/wake.ts — so a CLI revocation or another replica's change reaches all.
 * A lost notification (LISTEN connection down) leaves a change unseen for at most the TTL.
 * Only successful lookups are cached: a bad key costs what it did and grows nothing.
 */
@Injectable()
export class AccessCache implements OnModuleDestroy, EntitySubscriberInterface {
  readonly keys: ExpiringCache<CachedKey>;
  readonly integrations: ExpiringCache<IntegrationEntity>;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ds: DataSource,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    const ttlMs = config.apiAccessCacheSeconds * 1000;
    this.keys = new ExpiringCache(ttlMs, MAX_ENTRIES);
    this.integrations = new ExpiringCache(ttlMs, MAX_ENTRIES);
    ds.subscribers.push(this);
    // The embedded database does not pass NOTIFY between connections; there every writer is in this process.
    this.unsubscribe = onWake(ds, 'hgw_access', config.databaseUrl !== null, () => this.clear());
  }

  clear(): void {
    this.keys.clear();
    this.integrations.clear();
  }

  /** A write to the access tables through this DataSource: clear once its transaction commits (at once outside one). */
  afterQuery(event: AfterQueryEvent): void {
    if (event.success && ACCESS_WRITE.test(event.query) && event.query !== RECORD_KEY_USE_SQL) wakeAfterCommit(event.queryRunner.manager, 'hgw_access');
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    const i = this.ds.subscribers.indexOf(this);
    if (i >= 0) this.ds.subscribers.splice(i, 1);
  }
}
