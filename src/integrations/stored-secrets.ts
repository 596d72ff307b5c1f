import type { DataSource } from 'typeorm';
import { getLogger } from '../common/logger';
import { GatewayConfig, StartupError } from '../config/config';
import type { CredentialVault } from './vault';

/**
 * Every column that holds values sealed by the CredentialVault, with the rows whose
 * value the gateway may still need. A module that stores a new kind of secret adds it here.
 */
const SEALED_COLUMNS: { what: string; table: string; column: string; where?: string }[] = [
  { what: 'integration credentials', table: 'integrations', column: 'credentials' },
  { what: 'webhook endpoint secrets', table: 'webhook_endpoints', column: 'secret' },
  { what: 'previous webhook endpoint secrets', table: 'webhook_endpoints', column: 'previous_secret', where: 'previous_secret_expires_at > now()' },
  { what: 'connect-flow credentials', table: 'connect_links', column: 'pending_credentials', where: 'used_at IS NULL AND expires_at > now()' },
  // Those the inbound endpoint still checks deliveries with (src/inbound/inbound.service.ts).
  { what: 'inbound webhook tokens', table: 'inbound_subscriptions', column: 'token', where: `token <> '' AND status IN ('PENDING', 'ACTIVE', 'FAILED')` },
  { what: 'inbound webhook signing secrets', table: 'inbound_subscriptions', column: 'secret', where: `status IN ('PENDING', 'ACTIVE', 'FAILED')` },
];

export interface MissingKey {
  kid: string;
  /** e.g. { 'integration credentials': 3 } */
  counts: Record<string, number>;
}

/** Key ids used by stored secrets that no configured key (current or previous) provides. */
export async function findMissingKeys(ds: DataSource, vault: CredentialVault): Promise<MissingKey[]> {
  const missing = new Map<string, MissingKey>();
  for (const c of SEALED_COLUMNS) {
    // A regex rather than a jsonb cast: one malformed value must not stop the check.
    const rows: { kid: string | null; n: number }[] = await ds.query(
      `SELECT substring(${c.column} from '"kid":"([^"]*)"') AS kid, count(*)::int AS n
         FROM ${c.table} WHERE ${c.column} IS NOT NULL${c.where ? ` AND ${c.where}` : ''} GROUP BY 1`,
    );
    for (const r of rows) {
      const kid = r.kid ?? '(none)';
      if (r.kid && vault.hasKey(r.kid)) continue;
      const entry = missing.get(kid) ?? { kid, counts: {} };
      entry.counts[c.what] = (entry.counts[c.what] ?? 0) + r.n;
      missing.set(kid, entry);
    }
  }
  return [...missing.values()];
}

/**
 * Start-up check: a gateway whose encryption key changed (a key generated at every start,
 * a lost key file) would otherwise run on and fail every sync and webhook later, with
 * nothing said at start. Refuses to start, naming the variables and the missing key ids;
 * ENCRYPTION_ALLOW_MISSING_KEYS=true starts anyway (the affected integrations turn
 * INVALID at their next sync and must be relinked; webhook secrets must be rotated).
 */
export async function checkStoredSecretKeys(ds: DataSource, vault: CredentialVault, config: GatewayConfig): Promise<void> {
  const missing = await findMissingKeys(ds, vault);
  if (!missing.length) return;
  const detail = missing
    .map(
      (m) =>
        `key id ${m.kid} (${Object.entries(m.counts)
          .map(([what, n]) => `${n} ${what}`)
          .join(', ')})`,
    )
    .join('; ');
  const fix =
    `Set ENCRYPTION_KEY to the key these secrets were encrypted with, or add it to ENCRYPTION_KEYS_PREVIOUS ` +
    `(the configured key has id ${vault.currentKid}; a key's id is the first 8 hex digits of the SHA-256 of its 32 bytes). ` +
    `If the key is lost, ENCRYPTION_ALLOW_MISSING_KEYS=true starts anyway: the affected integrations must be relinked and webhook secrets rotated.`;
  if (config.allowMissingEncryptionKeys) {
    getLogger('vault').error(
      { missing },
      `Stored secrets need encryption keys that are not configured: ${detail}. Starting anyway (ENCRYPTION_ALLOW_MISSING_KEYS=true).`,
    );
    return;
  }
  throw new StartupError(
    'ENCRYPTION_KEY',
    `Stored secrets were encrypted with keys that neither ENCRYPTION_KEY nor ENCRYPTION_KEYS_PREVIOUS provides: ${detail}. ${fix}`,
  );
}
