// BambooHR as an HrisConnector. Reads: the cursor list gives ids (and the
// current department/division/location/manager as ids), get-employee the full
// record per person (bounded by the shared rate limiter), the history tables
// the employments; /meta/lists the departments, divisions and locations. Deltas
// come from /employees/changed, deletions included (reads.ts). Each call builds
// a fresh BambooClient; the rate limit is shared per credential.
import { ConnectorError, type AttributeInfo, type HrisConnector, type PassthroughRequest, type PassthroughResponse } from '../connector';
import { passthroughPath, passthroughRequest } from '../http/paths';
import type { UnifiedDocumentCategory } from '../unified';
import { text } from '../values';
import { knownEmployeeIds } from './changes';
import { checkBamboo } from './check';
import { BambooClient, BAMBOOHR_API_ORIGIN, type BambooClientOptions } from './client';
import { BAMBOOHR_CONNECT, BAMBOOHR_SETTINGS } from './connect-info';
import { bamboohrCredentials } from './credentials';
import { BAMBOOHR_UPLOAD_RATE, BAMBOOHR_UPLOAD_RULES, fileCategories, mapFileCategory, uploadFile, writeTrainingRecord } from './documents';
import { bamboohrFieldKind, fieldKey } from './fields';
import { isRefusal, listRefused, type BambooCtx, type ReadTuning } from './read-context';
import { read, readPeople } from './reads';
import { bamboohrTool } from './tool';
import type { BambooCredentials, BambooFieldMeta, BambooListField, BambooListResponse } from './types';
import { bamboohrWebhooks } from './webhooks';

export const BAMBOOHR_PAGE_SIZE = 100;
/** Up to this many people, tables are read per person; above, once for everyone (`/employees/all/tables/…`). */
const PER_PERSON_TABLES_MAX = 25;
/** Employees whose file views are joined to list the file categories. */
const CATEGORY_PROBES = 5;

export interface BambooConnectorOptions {
  /** Client tuning (timeScale, limit, retry) — tests point these at the simulator's sped-up clock. */
  client?: Partial<Omit<BambooClientOptions, 'credentials' | 'logger' | 'signal' | 'baseUrl'>>;
  pageSize?: number;
  /** Restarts of the list allowed after BambooHR's `BadPage` (the boundary employee changed mid-read). */
  maxPasses?: number;
  /** Up to this many people, tables are read per person; above, once for all of them. */
  perPersonTablesMax?: number;
}

export function createBamboohrConnector(options: BambooConnectorOptions = {}): HrisConnector<BambooCredentials> {
  const tuning: ReadTuning = {
    pageSize: options.pageSize ?? BAMBOOHR_PAGE_SIZE,
    maxPasses: options.maxPasses ?? 3,
    perPersonMax: options.perPersonTablesMax ?? PER_PERSON_TABLES_MAX,
  };

  function client(ctx: BambooCtx): BambooClient {
    return new BambooClient({
      ...options.client,
      credentials: ctx.credentials,
      baseUrl: ctx.baseUrl ?? ctx.settings.baseUrl,
      logger: ctx.logger,
      signal: ctx.signal,
      stats: ctx.stats,
    });
  }

  async function passthrough(ctx: BambooCtx, req: PassthroughRequest): Promise<PassthroughResponse> {
    // Relative to …/api/gateway.php/{companyDomain}/v1, as Kombo's `bamboohr/v1`; a leading /v1 is tolerated.
    return client(ctx).request({ ...passthroughRequest(req, passthroughPath(req.path)), endpoint: 'passthrough' });
  }

  /**
   * File categories are only visible through an employee (there is no company-wide list), and a
   * category marked "do not display if empty" shows only for people with a file in it: the union
   * over a few employees' views finds those too (still not guaranteed; docs/bamboohr-mapping.md).
   */
  async function documentCategories(ctx: BambooCtx) {
    const c = client(ctx);
    let ids: string[];
    try {
      const page = (await c.get('/employees', { 'page[limit]': CATEGORY_PROBES }, 'employees')) as BambooListResponse | null;
      ids = (Array.isArray(page?.data) ? page.data : []).map((r) => text(r?.employeeId)).filter((id): id is string => id !== null);
    } catch (e) {
      if (!listRefused(e)) throw e;
      const known = await knownEmployeeIds(c);
      if (known === null) throw e;
      ids = known.slice(0, CATEGORY_PROBES);
    }
    // The views asked together (the limiter paces them), joined in id order.
    const views = await Promise.all(
      ids.map((id) => fileCategories(c, id).catch((e: unknown) => (e instanceof ConnectorError && e.kind === 'NOT_FOUND' ? [] : Promise.reject(e)))),
    );
    const byId = new Map<string, UnifiedDocumentCategory>();
    ids.forEach((id, i) => {
      for (const cat of views[i]) {
        const mapped = mapFileCategory(cat, id);
        if (mapped && !byId.has(mapped.remote_id)) byId.set(mapped.remote_id, mapped);
      }
    });
    return [...byId.values()];
  }

  const share = (ctx: BambooCtx) => ctx.settings.shareDocuments?.trim().toLowerCase() === 'yes';

  return {
    tool: bamboohrTool,
    credentials: bamboohrCredentials,
    connect: BAMBOOHR_CONNECT,
    settings: BAMBOOHR_SETTINGS,
    uploadRate: BAMBOOHR_UPLOAD_RATE,
    fieldKind: bamboohrFieldKind,
    check: (ctx) => checkBamboo(client(ctx), ctx.now()),
    read: (ctx, opts = {}) => read(ctx, client(ctx), tuning, opts),
    readPeople: (ctx, remoteIds) => readPeople(ctx, client(ctx), tuning, remoteIds),
    webhooks: bamboohrWebhooks(client),
    documentCategories,
    uploadRules: BAMBOOHR_UPLOAD_RULES,
    uploadDocument: (ctx, employeeRemoteId, doc) => uploadFile(client(ctx), employeeRemoteId, doc, share(ctx)),
    writeTraining(ctx, employeeRemoteId, training) {
      const c = client(ctx);
      return writeTrainingRecord(c, employeeRemoteId, training, {
        scope: `${c.origin}|${ctx.credentials.companyDomain}`,
        certificateCategory: ctx.settings.certificateCategory?.trim() || 'Training Certificates',
        share: share(ctx),
      });
    },
    passthrough,
    async listAttributes(ctx): Promise<AttributeInfo[]> {
      const c = client(ctx);
      const [fields, lists] = await Promise.all([
        c.get('/meta/fields', undefined, 'meta'),
        c.get('/meta/lists', undefined, 'meta').catch((e: unknown) => (isRefusal(e) ? [] : Promise.reject(e))),
      ]);
      const options = new Map<string, string[]>();
      for (const l of Array.isArray(lists) ? (lists as BambooListField[]) : []) {
        const names = (Array.isArray(l.options) ? l.options : [])
          .filter((o) => text(o?.archived)?.toLowerCase() !== 'yes')
          .map((o) => text(o?.name))
          .filter((n): n is string => n !== null);
        for (const k of [text(l.alias), text(l.fieldId)]) if (k) options.set(k, names);
      }
      return (Array.isArray(fields) ? (fields as BambooFieldMeta[]) : [])
        .map((f) => ({ f, key: fieldKey(f) }))
        .filter((x): x is { f: BambooFieldMeta; key: string } => x.key !== null)
        .map(({ f, key }) => ({
          key,
          label: text(f.name) ?? key,
          type: text(f.type) ?? 'text',
          universal_id: null,
          options: options.get(key) ?? options.get(text(f.id) ?? '') ?? [],
        }));
    },
  };
}

export { BAMBOOHR_API_ORIGIN };
export const bamboohrConnector = createBamboohrConnector();
