// Rows as COPY ... FROM STDIN takes them (text format): what a first sync stores its new rows
// with (store.ts copyNewRows), and the store floor of the sync benchmark (bench/sync-floors.ts).
// Each line holds what the upsert (store.ts upsertRows) would store from json_to_recordset:
// the same columns, the same values, NULL where it reads NULL.
import { ModelTable, writtenColumns } from './models';
import type { StoredRow } from './rows';

// COPY text format: backslash, tab, newline and carriage return escaped; \N is NULL.
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const ESCAPED = /[\\\t\n\r]/g;

/**
 * A value of a text column: a string as it is, any other JSON value as its JSON text (as
 * json_to_recordset reads a number or boolean into a text column), null or undefined as NULL.
 */
export function copyText(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.replace(ESCAPED, (c) => COPY_ESCAPES[c]);
}

/**
 * Serialised JSON as a json or jsonb field: JSON.stringify leaves no raw tab, newline or CR,
 * only backslashes to double. A JSON null is SQL NULL, as the upsert stores it
 * (json_to_recordset reads a JSON null into any column as NULL).
 */
export function copyJson(json: string): string {
  return json === 'null' ? '\\N' : json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
}

/** A text[] as an array literal, every element quoted (backslash and double quote escaped inside), then as COPY text; null is NULL. */
export function copyTextArray(xs: string[] | null | undefined): string {
  if (xs === null || xs === undefined) return '\\N';
  return copyText(`{${xs.map((x) => `"${x.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`);
}

/**
 * COPY of a model's table for its new rows: the columns the upsert writes, remote_deleted_at
 * and created_at left to their defaults (NULL, now()), as the upsert leaves them for a new row.
 */
export function copySql(t: ModelTable): string {
  const cols = writtenColumns(t);
  return `COPY ${t.table} (integration_id, id, remote_id, data, data_hash, remote_data, changed_at, ${cols.map((c) => c.name).join(', ')}) FROM STDIN`;
}

/** One row of copySql's input; `changedAt` as an ISO timestamp. */
export function copyLine(t: ModelTable, integrationId: string, changedAt: string, r: StoredRow): string {
  let l = `${copyText(integrationId)}\t${copyText(r.id)}\t${copyText(r.remote_id)}\t${copyJson(r.json.data)}\t${copyText(r.hash)}\t${copyJson(r.json.remote_data)}\t${changedAt}`;
  t.columns.forEach((c, i) => {
    const v = r.columns[c];
    l += `\t${t.types[i] === 'text[]' ? copyTextArray(v as string[] | null) : copyText(v)}`;
  });
  if (t.remoteFields) l += `\t${copyJson(r.json.remote_fields ?? '{}')}`;
  return l + '\n';
}
