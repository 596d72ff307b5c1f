// Small pieces of simulator state every tool keeps the same way.

/** Throws `unknown <what> <key>` for a key `known` does not have (faults, switches, settings are closed sets). */
export function checkKnown(patch: object, known: object, what: string): void {
  for (const k of Object.keys(patch)) if (!(k in known)) throw new Error(`unknown ${what} ${k}`);
}

/** Sets each of `patch`'s keys on `target`, all of which must be keys of `known`. */
export function assignKnown<T extends object>(target: T, patch: Partial<T>, known: T, what: string): void {
  checkKnown(patch, known, what);
  Object.assign(target, patch);
}

/** Appends to a ring of at most `limit` entries (the request log). */
export function appendBounded<T>(ring: T[], entry: T, limit: number): void {
  ring.push(entry);
  if (ring.length > limit) ring.splice(0, ring.length - limit);
}

/** Stores `item` under `id` in `list` and returns the stored record. */
export function addWithId<T>(list: Array<T & { id: number }>, id: number, item: T): T & { id: number } {
  const stored = { id, ...item };
  list.push(stored);
  return stored;
}
