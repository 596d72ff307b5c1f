// The connect page's "Test" button: do the credentials work, and can they
// read everything the gateway maps? Personio silently omits attributes that
// are not whitelisted for a credential, so a sync would "work" yet deliver
// empty fields; this names each missing one in words the customer's HR admin
// can act on.
import { ConnectorError, type CheckResult, type MissingItem } from '../connector';
import type { PersonioClient } from './client';
import { PERSONIO_REQUIREMENTS } from './connect-info';

/** The attributes the mapping reads (the connect page lists them from the same requirements). */
const REQUIRED_ATTRIBUTES = PERSONIO_REQUIREMENTS.filter((r) => r.kind === 'attribute' && !r.optional);

const WHERE = 'In Personio open Settings › Integrations › API credentials, edit these credentials and add it to the readable employee attributes.';

export function missingAttributes(available: ReadonlySet<string>): MissingItem[] {
  return REQUIRED_ATTRIBUTES.filter((a) => !available.has(a.key)).map((a) => ({
    kind: 'attribute' as const,
    key: a.key,
    message: `These API credentials cannot read the attribute "${a.label.en}" (needed for ${a.why.en}). ${WHERE}`,
  }));
}

function failed(kind: 'AUTH' | 'PERMISSION' | 'UNREACHABLE', message: string): CheckResult {
  return { ok: false, error: { kind, message }, missing: [] };
}

function asCheckError(e: unknown): CheckResult {
  if (!(e instanceof ConnectorError)) throw e;
  if (e.kind === 'ABORTED') throw e;
  if (e.kind === 'AUTH_FAILED')
    return failed('AUTH', 'Personio did not accept this client ID and client secret. Check both values, or create new API credentials in Personio.');
  if (e.kind === 'PERMISSION_MISSING')
    return failed('PERMISSION', 'These API credentials may not read employees. In Personio, give them read access to employee data.');
  return failed('UNREACHABLE', `Personio could not be reached right now (${e.message}). Please try again in a minute.`);
}

export async function checkPersonio(client: PersonioClient): Promise<CheckResult> {
  let scope: string | null;
  const keys = new Set<string>();
  try {
    scope = await client.tokenScope();
    // One employee proves read access; its keys back up /attributes, which some accounts refuse.
    const page = await client.getEmployees({ offset: 0, limit: 1 });
    for (const e of page.data) for (const k of Object.keys(e?.attributes ?? {})) keys.add(k);
  } catch (e) {
    return asCheckError(e);
  }
  let attributesKnown = keys.size > 0;
  try {
    for (const a of await client.getAttributes()) if (a && typeof a.key === 'string') keys.add(a.key);
    attributesKnown = true;
  } catch (e) {
    if (!(e instanceof ConnectorError) || e.kind === 'ABORTED' || e.kind === 'AUTH_FAILED') return asCheckError(e);
    // Without /attributes and without any employee we cannot tell what is missing; say nothing rather than guess.
  }

  const missing: MissingItem[] = attributesKnown ? missingAttributes(keys) : [];
  if (scope !== null && !/\bdocuments:write\b/.test(scope)) {
    missing.push({
      kind: 'permission',
      key: 'documents:write',
      message:
        'These API credentials may not upload documents, so certificates cannot be stored in Personio. In Personio, give the credentials write access to documents.',
    });
  }
  try {
    await client.getDocumentCategories();
  } catch (e) {
    if (!(e instanceof ConnectorError) || e.kind !== 'PERMISSION_MISSING') return asCheckError(e);
    missing.push({
      kind: 'permission',
      key: 'documents:read',
      message:
        'These API credentials may not read document categories, so no category can be chosen for certificates. In Personio, give the credentials access to documents.',
    });
  }
  return { ok: missing.length === 0, missing };
}
