import { ATTRIBUTES, AttributeFilter, attributeChangedAt, effectiveLastModified, renderEmployee, renderEmployeeText } from './attributes';
import { JsonOut } from './json-out';
import { Reply, json, v1Error } from './http-util';
import { EmployeeRecord } from './model';
import { MAX_PICTURE_WIDTH, ORIGINAL_PICTURE_WIDTH, profilePicture } from './png';
import { SandboxState } from './state';
import { SandboxCredential } from './types';

const NOT_FOUND = 'Es ist ein Problem aufgetreten ';
const PICTURE_NOT_FOUND = 'Etwas ist schiefgelaufen ...';

/** `attributes[]=a&attributes[]=b` (also `attributes[0]=` and `attributes=`), or null when absent. */
function projection(query: URLSearchParams): Set<string> | null {
  const keys: string[] = [];
  for (const [k, v] of query) if (/^attributes(\[\d*\])?$/.test(k) && v !== '') keys.push(v);
  return keys.length > 0 ? new Set(keys) : null;
}

function combine(whitelist: AttributeFilter, proj: Set<string> | null): AttributeFilter {
  return proj ? (key) => proj.has(key) && whitelist(key) : whitelist;
}

function intParam(raw: string | null): number | null {
  return raw !== null && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
}

export function listEmployees(state: SandboxState, credential: SandboxCredential, query: URLSearchParams): Reply {
  const max = state.options.legacyLimit200 ? 200 : 100;
  const rawLimit = query.get('limit');
  let limit = rawLimit === null || rawLimit === '' ? 50 : intParam(rawLimit)!;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) return v1Error(400, `The limit must be between 1 and ${max}.`, 0);
  const rawOffset = query.get('offset');
  let offset = rawOffset === null || rawOffset === '' ? 0 : intParam(rawOffset)!;
  if (!Number.isInteger(offset) || offset < 0) return v1Error(400, 'The offset must be at least 0.', 0);

  const proj = projection(query);
  const ctx = state.renderContext();
  const sinceRaw = query.get('updated_since');
  let matches: readonly EmployeeRecord[] = state.store.all();
  if (sinceRaw !== null && sinceRaw !== '') {
    const since = state.dates.parseSince(sinceRaw);
    if (since === null) return v1Error(400, 'The updated since does not match the format Y-m-d\\TH:i:s.', 0);
    // Compared at whole seconds, inclusive: a client re-using the last seen last_modified_at misses nothing.
    const changed = (ms: number) => Math.floor(ms / 1000) * 1000 >= since;
    matches = proj
      ? matches.filter((e) => [...proj].some((k) => changed(attributeChangedAt(e, k, ctx))))
      : matches.filter((e) => changed(effectiveLastModified(e, ctx)));
    if (state.options.updatedSinceIgnoresPagination) {
      offset = 0;
      limit = Math.max(1, matches.length);
    }
  } else {
    const email = query.get('email');
    if (email !== null && email !== '') {
      const hit = state.store.findByEmail(email);
      matches = hit ? [hit] : [];
    } else if (offset > 0 && state.faults.shiftRecordsBetweenPages) {
      shiftRecords(state, offset);
      matches = state.store.all();
    }
  }

  const allowed = combine(state.whitelist(credential), proj);
  const total = matches.length;
  const out = new JsonOut(Math.min(limit, Math.max(1, total - offset)) * 6500);
  out.text(
    `{"success":true,"metadata":{"total_elements":${total},"current_page":${Math.floor(offset / limit)},` +
      `"total_pages":${Math.ceil(total / limit)}},"offset":${offset},"limit":${limit},"data":[`,
  );
  const end = Math.min(total, offset + limit);
  for (let i = offset; i < end; i++) {
    if (i > offset) out.text(',');
    renderEmployee(matches[i], ctx, allowed, out);
  }
  out.text(']}');
  return { status: 200, body: out.bytes(), contentType: 'application/json', isData: true };
}

/**
 * The page-shift fault (one-shot): delete a record the client already saw, or insert one at a free
 * id before the page boundary, so every later record moves by one position.
 */
function shiftRecords(state: SandboxState, offset: number): void {
  const mode = state.faults.shiftRecordsBetweenPages;
  state.faults.shiftRecordsBetweenPages = null;
  const list = state.store.all();
  if (offset > list.length || offset < 1) return;
  const seen = list[offset - 1];
  const now = state.clock.now();
  if (mode === 'delete') {
    state.store.remove(seen.id, now);
    return;
  }
  const id = state.store.freeIdBefore(seen.id);
  state.store.hire(now, {}, id ?? undefined);
}

export function getEmployee(state: SandboxState, credential: SandboxCredential, rawId: string): Reply {
  const e = /^\d+$/.test(rawId) ? state.store.get(Number(rawId)) : undefined;
  if (!e) return v1Error(404, NOT_FOUND, 404);
  const body = `{"success":true,"data":${renderEmployeeText(e, state.renderContext(), state.whitelist(credential))}}`;
  return { ...json(200, body), isData: true };
}

export function listAttributes(state: SandboxState, credential: SandboxCredential): Reply {
  const allowed = state.whitelist(credential);
  const data = ATTRIBUTES.filter((a) => a.key !== 'id' && allowed(a.key)).map((a) => ({
    key: a.key,
    label: a.label,
    type: a.type,
    universal_id: a.universalId,
    options: a.options,
  }));
  return { ...json(200, { success: true, data }), isData: true };
}

export function profilePictureReply(state: SandboxState, credential: SandboxCredential, rawId: string, rawWidth: string | undefined): Reply {
  const e = /^\d+$/.test(rawId) ? state.store.get(Number(rawId)) : undefined;
  if (!e || !e.hasPicture || !state.whitelist(credential)('profile_picture')) return v1Error(404, PICTURE_NOT_FOUND, 404);
  let width = ORIGINAL_PICTURE_WIDTH;
  if (rawWidth !== undefined) {
    if (!/^\d+$/.test(rawWidth) || Number(rawWidth) < 1) return v1Error(404, PICTURE_NOT_FOUND, 404);
    width = Math.min(Number(rawWidth), MAX_PICTURE_WIDTH);
  }
  return { status: 200, body: profilePicture(e.id, width), contentType: 'image/png', isData: true };
}

/** employeeRaw(): the object exactly as GET /v1/company/employees/{id} would put it under `data`. */
export function employeeObject(state: SandboxState, credential: SandboxCredential, id: number): unknown {
  const e = state.store.get(id);
  if (!e) throw new Error(`employee ${id} not found`);
  return JSON.parse(renderEmployeeText(e, state.renderContext(), state.whitelist(credential)));
}
