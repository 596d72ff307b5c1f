// Personio as an HrisConnector: the client does HTTP, paging keeps reads
// consistent, mapping turns records into unified ones. Each call builds a
// fresh PersonioClient; tokens and rate limiters are shared per credential.
import {
  ConnectorError,
  type AttributeInfo,
  type ConnectorContext,
  type CredentialSpec,
  type HrisConnector,
  type PassthroughRequest,
  type PassthroughResponse,
  type PeopleRead,
  type ReadOptions,
  type ToolInfo,
} from '../connector';
import { employeeCoverageFields, hrisReadCoverage } from '../coverage';
import { lazyBatch, sourceFingerprint } from '../fingerprint';
import { credentialInput, credentialText, type CredentialFieldError } from '../credential-fields';
import { passthroughPath, passthroughRequest } from '../http/paths';
import type { UnifiedBatch } from '../unified';
import { personioEmployeeId, remoteFieldLabels } from './attributes';
import { checkPersonio } from './check';
import { PERSONIO_CONNECT, PERSONIO_SETTINGS, PERSONIO_UPLOAD_RATE, personioFieldKind } from './connect-info';
import { PersonioClient } from './client';
import type { PersonioBucket, PersonioClientOptions } from './client-options';
import { PERSONIO_UPLOAD_RULES, personioDocumentCategories, uploadPersonioDocument } from './documents';
import { mapPersonioRecord, offsetShownBy } from './mapping';
import { employmentRemoteId } from './mapping-org';
import { readEmployeesConsistently } from './paging';
import type { PersonioCredentials, PersonioEmployee } from './types';
import { personioWebhooks } from './webhooks';

export const PERSONIO_PAGE_SIZE = 100;
/** Employee pages in flight beyond the one being read (the client allows 4 at once). */
const PAGE_LOOKAHEAD = 2;
/** Raise when the mapping of the same employee JSON changes (see sourceFingerprint). */
const PERSONIO_MAPPING_VERSION = 'personio-2';

export interface PersonioConnectorOptions {
  /** Client tuning (timeScale, limits, retry) — tests point these at the sandbox's sped-up clock. */
  client?: Partial<Omit<PersonioClientOptions, 'credentials' | 'logger' | 'signal' | 'baseUrl'>>;
  pageSize?: number;
  /** Full re-reads allowed when the list changed under a read. */
  maxPasses?: number;
}

const EMPLOYEE_FIELDS = employeeCoverageFields(['ethnicity']);

export const personioTool: ToolInfo = {
  id: 'personio',
  label: 'Personio',
  logoUrl: 'https://www.personio.com/favicon.ico',
  coverage: {
    read: hrisReadCoverage(EMPLOYEE_FIELDS),
    write: { employee_documents: true, trainings: false },
    passthrough: ['personio/personnel'],
  },
};

export const personioCredentials: CredentialSpec<PersonioCredentials> = {
  fields: [
    {
      key: 'clientId',
      label: { en: 'Client ID', de: 'Client-ID' },
      secret: false,
      maxLength: 200,
      help: { en: 'Personio › Settings › Integrations › API credentials', de: 'Personio › Einstellungen › Integrationen › API-Zugangsdaten' },
    },
    {
      key: 'clientSecret',
      label: { en: 'Client secret', de: 'Client-Secret' },
      secret: true,
      maxLength: 500,
      help: { en: 'Shown once when the API credentials are created', de: 'Wird einmal angezeigt, wenn die Zugangsdaten angelegt werden' },
    },
  ],
  validate(input) {
    const o = credentialInput(input);
    const errors: CredentialFieldError[] = [];
    const clientId = credentialText(o, 'clientId', errors, {
      missing: 'Enter the client ID of your Personio API credentials',
      malformed: 'This does not look like a Personio client ID',
      looksRight: (v) => !/\s/.test(v) && v.length <= 200,
    });
    const clientSecret = credentialText(o, 'clientSecret', errors, {
      missing: 'Enter the client secret of your Personio API credentials',
      malformed: 'This does not look like a Personio client secret',
      looksRight: (v) => !/\s/.test(v) && v.length <= 500,
    });
    return errors.length ? { ok: false, errors } : { ok: true, value: { clientId, clientSecret } };
  },
};

/**
 * `updated_since` as Personio documents it (`2022-12-24T08:15:30`, no zone),
 * written in UTC. Personio reads it in the account's zone, which for its
 * (European, UTC+) accounts is later than UTC: the window starts a little
 * early, so records may repeat but are never missed.
 */
export function formatUpdatedSince(since: Date): string {
  return since.toISOString().slice(0, 19);
}

function bucketFor(method: string, path: string): PersonioBucket {
  if (path.startsWith('/company/documents')) return 'documents';
  if (method === 'GET' && /^\/company\/employees\/?(\?|$)/.test(path)) return 'employees';
  return 'other';
}

export type Emitted = { groups: Set<string>; legal: Set<string>; locations: Set<string> };

/**
 * Turns employees into one unified page, mapped when first read (see lazyBatch); derived
 * records go out once per read (`emitted`), with the first page mapped that names them.
 * Every record of a person comes from that person's employee JSON alone, which is thus
 * the whole input of the person's fingerprint (the contract UnifiedBatch.source_fingerprints asks).
 * Exported for the store floor of the sync bench (bench/sync-floors.ts), which must build
 * exactly the batches read() yields, fingerprints (and so the mapping version) included.
 */
export function toBatch(page: PersonioEmployee[], now: Date, emitted: Emitted): UnifiedBatch {
  const fingerprints = new Map<string, string>();
  let utcOffset: number | undefined;
  for (const raw of page) {
    utcOffset ??= offsetShownBy(raw) ?? undefined;
    const id = personioEmployeeId(raw);
    if (id !== null) fingerprints.set(id, sourceFingerprint(PERSONIO_MAPPING_VERSION, raw));
  }
  return lazyBatch(fingerprints, utcOffset, () => mapPage(page, now, emitted));
}

function mapPage(page: PersonioEmployee[], now: Date, emitted: Emitted) {
  const batch: Pick<UnifiedBatch, 'employees' | 'employments' | 'groups' | 'legal_entities' | 'locations'> = {
    employees: [],
    employments: [],
    groups: [],
    legal_entities: [],
    locations: [],
  };
  for (const raw of page) {
    const r = mapPersonioRecord(raw, { now });
    batch.employees.push(r.employee);
    batch.employments.push(r.employment);
    for (const g of r.groups) {
      if (!emitted.groups.has(g.remote_id)) {
        emitted.groups.add(g.remote_id);
        batch.groups.push(g);
      }
    }
    if (r.legal_entity && !emitted.legal.has(r.legal_entity.remote_id)) {
      emitted.legal.add(r.legal_entity.remote_id);
      batch.legal_entities.push(r.legal_entity);
    }
    if (r.location && !emitted.locations.has(r.location.remote_id)) {
      emitted.locations.add(r.location.remote_id);
      batch.locations.push(r.location);
    }
  }
  return batch;
}

/** Single-employee reads in flight at once for a targeted re-read. */
const PEOPLE_CONCURRENCY = 4;

export function createPersonioConnector(options: PersonioConnectorOptions = {}): HrisConnector<PersonioCredentials> {
  const pageSize = options.pageSize ?? PERSONIO_PAGE_SIZE;
  const maxPasses = options.maxPasses ?? 3;

  function client(ctx: ConnectorContext<PersonioCredentials>): PersonioClient {
    return new PersonioClient({
      ...options.client,
      credentials: ctx.credentials,
      baseUrl: ctx.baseUrl,
      logger: ctx.logger,
      signal: ctx.signal,
      now: () => ctx.now(),
      partnerId: ctx.settings.partnerId,
      appId: ctx.settings.appId,
      stats: ctx.stats,
    });
  }

  async function* read(ctx: ConnectorContext<PersonioCredentials>, opts: ReadOptions = {}): AsyncGenerator<UnifiedBatch> {
    const c = client(ctx);
    const updatedSince = opts.since ? formatUpdatedSince(opts.since) : undefined;
    // Derived records go out once per read, in the first batch that mentions them.
    const emitted = { groups: new Set<string>(), legal: new Set<string>(), locations: new Set<string>() };
    const pages = readEmployeesConsistently((offset, limit) => c.getEmployees({ offset, limit, updatedSince }), {
      pageSize,
      maxPasses,
      lookahead: PAGE_LOOKAHEAD,
      onRepass: (info) => ctx.logger.warn({ tool: 'personio', ...info }, 'personio: employee list changed during the read; reading again'),
      onSkipped: () => ctx.logger.warn({ tool: 'personio' }, 'personio: skipped an employee without id'),
      onVanished: (ids) => opts.onVanished?.({ employees: ids, employments: ids.map(employmentRemoteId) }),
    });
    for await (const page of pages) yield toBatch(page, ctx.now(), emitted);
  }

  /** Re-reads the given people one by one (v1 by id: one call each, names inline); 404 means deleted. */
  async function readPeople(ctx: ConnectorContext<PersonioCredentials>, remoteIds: string[]): Promise<PeopleRead> {
    const c = client(ctx);
    const ids = [...new Set(remoteIds)].filter((id) => /^\d{1,18}$/.test(id));
    const found: PersonioEmployee[] = [];
    const gone: string[] = [];
    // A few in flight at once; the client's employees limiter keeps within Personio's rate.
    let next = 0;
    // After one failure the others take no new id: the read fails anyway, so more calls only spend the rate budget.
    let failed = false;
    const worker = async () => {
      while (next < ids.length && !failed) {
        const id = ids[next++];
        const raw = await c.getEmployee(id).catch((e: unknown) => {
          failed = true;
          throw e;
        });
        if (raw) found.push(raw);
        else gone.push(id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PEOPLE_CONCURRENCY, ids.length) }, worker));
    const emitted = { groups: new Set<string>(), legal: new Set<string>(), locations: new Set<string>() };
    return { batch: toBatch(found, ctx.now(), emitted), gone: { employees: gone, employments: gone.map(employmentRemoteId) } };
  }

  const webhooks = personioWebhooks((ctx) => client(ctx));

  async function passthrough(ctx: ConnectorContext<PersonioCredentials>, req: PassthroughRequest): Promise<PassthroughResponse> {
    // Relative to https://api.personio.de/v1 as in Kombo's `personio/personnel`; a leading /v1 is tolerated.
    const path = passthroughPath(req.path);
    // The token endpoint would hand out a live access token: never forwarded.
    if (/^\/auth(\/|\?|$)/i.test(path))
      throw new ConnectorError('INVALID_REQUEST', 'The path /auth is handled by the gateway and cannot be called through passthrough');
    return client(ctx).request({ ...passthroughRequest(req, path), bucket: bucketFor(req.method, path) });
  }

  return {
    tool: personioTool,
    credentials: personioCredentials,
    connect: PERSONIO_CONNECT,
    settings: PERSONIO_SETTINGS,
    uploadRate: PERSONIO_UPLOAD_RATE,
    fieldKind: personioFieldKind,
    fieldLabels: remoteFieldLabels,
    async check(ctx) {
      const result = await checkPersonio(client(ctx));
      if (result.error) return result;
      // Informational: without the webhooks permission changes still arrive, by polling.
      const hook = await webhooks.available(ctx).catch(() => ({ ok: true }) as const);
      return hook.ok ? result : { ok: false, missing: [...result.missing, hook.missing] };
    },
    read,
    documentCategories: (ctx) => personioDocumentCategories(client(ctx)),
    uploadRules: PERSONIO_UPLOAD_RULES,
    uploadDocument: (ctx, employeeRemoteId, doc) => uploadPersonioDocument(client(ctx), employeeRemoteId, doc),
    passthrough,
    readPeople,
    webhooks,
    async listAttributes(ctx): Promise<AttributeInfo[]> {
      return (await client(ctx).getAttributes())
        .filter((a) => a && typeof a.key === 'string')
        .map((a) => ({
          key: a.key,
          label: a.label ?? a.key,
          type: a.type ?? 'standard',
          universal_id: a.universal_id ?? null,
          options: Array.isArray(a.options) ? a.options.map(String) : [],
        }));
    },
  };
}

export const personioConnector = createPersonioConnector();
