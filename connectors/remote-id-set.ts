// A set of remote ids that stays small when ids are numbers, as most HRIS ids are.
//
// A full read remembers every id it has seen (to de-duplicate offset pages and, after the
// read, to mark what was not seen as deleted): at 100,000 employees a Set<string> of "4711"
// and one of "employment:4711" hold ~13 MB of live heap, and V8 sizes the heap as a
// multiple of what is live. Here "4711" is kept as the number 4711 and "employment:4711"
// as 4711 under the prefix "employment:" (~2.6 MB per 100,000), anything else as a string.

/** Up to 15 digits without a leading zero: exactly representable, and String(n) gives the same text back. */
const NUMERIC_TAIL = /^(.*?)(0|[1-9]\d{0,14})$/s;

export class RemoteIdSet implements Iterable<string> {
  private readonly numeric = new Map<string, Set<number>>();
  private readonly other = new Set<string>();

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  get size(): number {
    let n = this.other.size;
    for (const s of this.numeric.values()) n += s.size;
    return n;
  }

  add(id: string): this {
    const m = NUMERIC_TAIL.exec(id);
    if (!m) {
      this.other.add(id);
      return this;
    }
    let set = this.numeric.get(m[1]);
    if (!set) this.numeric.set(m[1], (set = new Set()));
    set.add(Number(m[2]));
    return this;
  }

  has(id: string): boolean {
    const m = NUMERIC_TAIL.exec(id);
    return m ? this.numeric.get(m[1])?.has(Number(m[2])) === true : this.other.has(id);
  }

  delete(id: string): boolean {
    const m = NUMERIC_TAIL.exec(id);
    return m ? this.numeric.get(m[1])?.delete(Number(m[2])) === true : this.other.delete(id);
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (const [prefix, set] of this.numeric) for (const n of set) yield prefix + String(n);
    yield* this.other;
  }
}
