import { IncomingMessage } from 'node:http';
import { readBody } from '../../sandbox-kit/http';
import { FIELD_CATALOGUE } from './company';
import { MAX_FIELDS, parseSince } from './employees-api';
import { Reply, error, json } from './http';
import { SandboxState } from './state';
import { ApiKey } from './types';
import { employeeFields, lastChangedMs, resolveFieldName } from './views';
import { toXml } from './xml';

interface ReportRequest {
  title: string;
  fields: string[];
  employeeIds: number[] | null;
  lastChanged: { value: number; includeNull: boolean } | null;
}

/**
 * `POST /api/v1/reports/custom?format=&onlyCurrent=` (deprecated but widely used for bulk reads,
 * NOTES §4.10): every employee (Active and Inactive), values as strings, unknown or hidden
 * fields silently dropped. JSON, XML and CSV output; XLS/PDF are not modelled (404).
 */
export async function customReport(state: SandboxState, req: IncomingMessage, key: ApiKey, query: URLSearchParams): Promise<Reply> {
  const bad = (message: string, status = 400) => error('classic', state.switches, status, message);
  const raw = (await readBody(req)).toString('utf8');
  const format = reportFormat(query.get('format'), req.headers.accept);
  if (!format) return bad('Report format not found', 404);
  // Only the exact JSON content type selects JSON; anything else is parsed as XML (spec L8512).
  const parsed = req.headers['content-type'] === 'application/json' ? fromJson(raw) : fromXml(raw);
  if (typeof parsed === 'string') return bad(parsed);
  if (parsed.fields.length > MAX_FIELDS) return bad(`A maximum of ${MAX_FIELDS} fields may be requested`);

  const ctx = state.view();
  const hidden = new Set(key.hiddenFields);
  const catalogue = new Map(FIELD_CATALOGUE.map((f) => [f.alias ?? String(f.id), f]));
  const columns = [...new Set(parsed.fields)].filter((f) => {
    const alias = resolveFieldName(f);
    return catalogue.has(alias) && !hidden.has(alias) && f !== 'id';
  });
  const onlyCurrent = !['false', '0'].includes((query.get('onlyCurrent') ?? '').toLowerCase());
  const ids = parsed.employeeIds ? new Set(parsed.employeeIds) : null;
  const rows: Array<Record<string, string>> = [];
  for (const e of [...state.employees.values()].sort((a, b) => a.id - b.id)) {
    if ((ids && !ids.has(e.id)) || !state.canSee(key, e.id)) continue;
    if (parsed.lastChanged && lastChangedMs(e, ctx.nowMs, state.switches.futureRowsChangeWhen) < parsed.lastChanged.value) continue;
    const all = employeeFields(ctx, e, onlyCurrent);
    const row: Record<string, string> = { id: String(e.id) };
    for (const c of columns) row[c] = asString(all[resolveFieldName(c)]);
    rows.push(row);
  }
  const fields = columns.map((c) => {
    const meta = catalogue.get(resolveFieldName(c))!;
    return { id: c, type: meta.type, name: meta.name };
  });
  if (format === 'json') return json(200, { title: parsed.title, fields, employees: rows });
  if (format === 'csv') {
    const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const lines = [['id', ...columns].map(cell).join(','), ...rows.map((r) => ['id', ...columns].map((c) => cell(r[c])).join(','))];
    return { status: 200, body: lines.join('\n') + '\n', contentType: 'text/csv; charset=utf-8' };
  }
  return {
    status: 200,
    contentType: 'text/xml; charset=utf-8',
    body: toXml({
      name: 'report',
      children: [
        { name: 'title', text: parsed.title },
        { name: 'fields', children: fields.map((f) => ({ name: 'field', attrs: { id: f.id, type: f.type }, text: f.name })) },
        {
          name: 'employees',
          children: rows.map((r) => ({
            name: 'employee',
            attrs: { id: r.id },
            children: columns.map((c) => ({ name: 'field', attrs: { id: c }, text: r[c] })),
          })),
        },
      ],
    }),
  };
}

function reportFormat(format: string | null, accept: string | undefined): 'json' | 'xml' | 'csv' | null {
  if (format !== null) {
    const f = format.toLowerCase();
    return f === 'json' || f === 'xml' || f === 'csv' ? f : null;
  }
  const exact: Record<string, 'json' | 'xml' | 'csv'> = { 'application/json': 'json', 'text/xml': 'xml', 'text/csv': 'csv' };
  return exact[(accept ?? '').trim()] ?? null;
}

/** Report values are strings; empty is "" (NOTES §12.3). */
function asString(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

function fromJson(raw: string): ReportRequest | string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'Malformed JSON';
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Malformed JSON';
  const b = body as { title?: unknown; fields?: unknown; filters?: { lastChanged?: { value?: unknown; includeNull?: unknown }; employeeIds?: unknown } };
  if (!Array.isArray(b.fields) || b.fields.some((f) => typeof f !== 'string')) return 'fields must be an array of field ids';
  let lastChanged: ReportRequest['lastChanged'] = null;
  if (b.filters?.lastChanged?.value !== undefined) {
    const t = parseSince(String(b.filters.lastChanged.value));
    if (t === null) return 'filters.lastChanged.value must be an ISO 8601 date-time';
    lastChanged = { value: t, includeNull: b.filters.lastChanged.includeNull !== 'no' };
  }
  let employeeIds: number[] | null = null;
  if (b.filters?.employeeIds !== undefined) {
    if (!Array.isArray(b.filters.employeeIds) || b.filters.employeeIds.some((x) => !Number.isInteger(Number(x)))) return 'filters.employeeIds must be integers';
    employeeIds = b.filters.employeeIds.map(Number);
  }
  return { title: typeof b.title === 'string' ? b.title : '', fields: b.fields as string[], employeeIds, lastChanged };
}

/** The `<report>` request document, read with patterns (enough for the documented elements). */
function fromXml(raw: string): ReportRequest | string {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<report[\s>]/.test(raw) || !/<\/report>\s*$/.test(raw)) return 'Malformed XML';
  const fields = [...raw.matchAll(/<field\s+id="([^"]+)"\s*\/?>/g)].map((m) => m[1]);
  const title = /<title>([^<]*)<\/title>/.exec(raw)?.[1] ?? '';
  const ids = [...raw.matchAll(/<employeeId>\s*(\d+)\s*<\/employeeId>/g)].map((m) => Number(m[1]));
  const lc = /<lastChanged(?:\s+includeNull="(yes|no)")?\s*>([^<]+)<\/lastChanged>/.exec(raw);
  let lastChanged: ReportRequest['lastChanged'] = null;
  if (lc) {
    const t = parseSince(lc[2].trim());
    if (t === null) return 'Malformed XML: lastChanged';
    lastChanged = { value: t, includeNull: lc[1] !== 'no' };
  }
  return { title, fields, employeeIds: /<employeeIds>/.test(raw) ? ids : null, lastChanged };
}
