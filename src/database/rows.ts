/**
 * The rows of a `query()` result. TypeORM's postgres driver answers UPDATE and
 * DELETE … RETURNING with `[rows, rowCount]` but SELECT and INSERT with the rows
 * alone; every caller that reads returned rows goes through here.
 */
export function rowsOf<T>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return (raw ?? []) as T[];
}
