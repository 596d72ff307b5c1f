import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { randomId, sha256Hex } from '../common/ids';
import { GatewayError, inputInvalid, notFound } from '../common/errors';
import { AccessCache, CachedKey, RECORD_KEY_USE_SQL } from './access-cache';
import { ApiKeyEntity, EnvironmentEntity } from './api-key.entities';

export const API_KEY_PREFIX = 'hgw_';
const KEY_BODY_LENGTH = 40;
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** api_keys.last_used_at is recorded at most this often per key, so authentication stays a read. */
const LAST_USED_EVERY_MS = 60_000;

export interface ApiKeyListing {
  id: string;
  environment_id: string;
  environment_name: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuthenticatedKey {
  keyId: string;
  environmentId: string;
}

/**
 * Environments and their API keys. A key is shown once when created; only its
 * sha256 and a short prefix are stored.
 */
@Injectable()
export class ApiKeysService {
  /** `cache`: the application's AccessCache; absent (CLI, tests), every authentication reads the database. */
  constructor(
    private readonly ds: DataSource,
    @Optional() private readonly cache?: AccessCache,
  ) {}

  async createEnvironment(name: string): Promise<EnvironmentEntity> {
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(name)) {
      throw inputInvalid('Environment names are 1-63 letters, digits, "-" or "_".');
    }
    const repo = this.ds.getRepository(EnvironmentEntity);
    if (await repo.findOneBy({ name })) throw new GatewayError('PLATFORM.CONFLICT', `Environment "${name}" already exists.`);
    return repo.save(repo.create({ id: randomId(), name }));
  }

  async listEnvironments(): Promise<EnvironmentEntity[]> {
    return this.ds.getRepository(EnvironmentEntity).find({ order: { createdAt: 'ASC' } });
  }

  async findEnvironment(idOrName: string): Promise<EnvironmentEntity> {
    const env = await this.ds.getRepository(EnvironmentEntity).findOne({ where: [{ id: idOrName }, { name: idOrName }] });
    if (!env) throw notFound(`No environment "${idOrName}".`);
    return env;
  }

  /** Creates a key and returns it in clear text: the only time it exists outside the caller's hands. */
  async createKey(environment: string, name = 'default'): Promise<{ key: string; listing: ApiKeyListing }> {
    const env = await this.findEnvironment(environment);
    const key = API_KEY_PREFIX + randomId(KEY_BODY_LENGTH);
    const repo = this.ds.getRepository(ApiKeyEntity);
    const saved = await repo.save(
      repo.create({ id: randomId(), environmentId: env.id, name, prefix: key.slice(0, SHOWN_PREFIX_LENGTH), keyHash: sha256Hex(key) }),
    );
    return { key, listing: toListing(saved, env.name) };
  }

  async listKeys(environment?: string): Promise<ApiKeyListing[]> {
    const envs = await this.listEnvironments();
    const names = new Map(envs.map((e) => [e.id, e.name]));
    const where = environment ? { environmentId: (await this.findEnvironment(environment)).id } : {};
    const keys = await this.ds.getRepository(ApiKeyEntity).find({ where, order: { createdAt: 'ASC' } });
    return keys.map((k) => toListing(k, names.get(k.environmentId) ?? ''));
  }

  /** Revokes by key id or shown prefix. */
  async revokeKey(idOrPrefix: string): Promise<ApiKeyListing> {
    const repo = this.ds.getRepository(ApiKeyEntity);
    const matches = await repo.find({ where: [{ id: idOrPrefix }, { prefix: idOrPrefix }] });
    if (matches.length === 0) throw notFound(`No API key "${idOrPrefix}".`);
    if (matches.length > 1) throw inputInvalid(`"${idOrPrefix}" matches several keys; revoke by id.`);
    const key = matches[0];
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await repo.save(key);
    }
    const env = await this.findEnvironment(key.environmentId);
    return toListing(key, env.name);
  }

  async authenticate(rawKey: string): Promise<AuthenticatedKey | null> {
    if (!rawKey.startsWith(API_KEY_PREFIX) || rawKey.length !== API_KEY_PREFIX.length + KEY_BODY_LENGTH) return null;
    const hash = sha256Hex(rawKey);
    const key = this.cache ? await this.cache.keys.getOrLoad(hash, () => this.lookup(hash)) : await this.lookup(hash);
    if (!key) return null;
    if (Date.now() - key.lastUsedAt > LAST_USED_EVERY_MS) {
      key.lastUsedAt = Date.now();
      void this.ds.query(RECORD_KEY_USE_SQL, [key.keyId]).catch(() => undefined);
    }
    return { keyId: key.keyId, environmentId: key.environmentId };
  }

  private async lookup(hash: string): Promise<CachedKey | null> {
    const rows: { id: string; environment_id: string; last_used_at: Date | null }[] = await this.ds.query(
      `SELECT id, environment_id, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    const row = rows[0];
    return row ? { keyId: row.id, environmentId: row.environment_id, lastUsedAt: row.last_used_at ? new Date(row.last_used_at).getTime() : 0 } : null;
  }

  /**
   * On a first start with an empty database: a default environment and one key.
   * Returns the key to print once, or null when the database already has environments.
   */
  async bootstrap(): Promise<{ environmentId: string; key: string } | null> {
    return this.ds.transaction(async (em) => {
      // Serialise concurrent first starts of several replicas.
      await em.query('SELECT pg_advisory_xact_lock(727431002)');
      const [{ count }] = await em.query('SELECT count(*)::int AS count FROM environments');
      if (count > 0) return null;
      const envId = randomId();
      await em.query(`INSERT INTO environments (id, name) VALUES ($1, 'default')`, [envId]);
      const key = API_KEY_PREFIX + randomId(KEY_BODY_LENGTH);
      await em.query(`INSERT INTO api_keys (id, environment_id, name, prefix, key_hash) VALUES ($1, $2, 'default', $3, $4)`, [
        randomId(),
        envId,
        key.slice(0, SHOWN_PREFIX_LENGTH),
        sha256Hex(key),
      ]);
      return { environmentId: envId, key };
    });
  }
}

function toListing(k: ApiKeyEntity, envName: string): ApiKeyListing {
  return {
    id: k.id,
    environment_id: k.environmentId,
    environment_name: envName,
    name: k.name,
    prefix: k.prefix,
    created_at: k.createdAt.toISOString(),
    last_used_at: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
    revoked_at: k.revokedAt ? k.revokedAt.toISOString() : null,
  };
}
