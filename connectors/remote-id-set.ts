// A set of remote ids that stays small when ids are numbers, as most HRIS ids are.
//
// A full read remembers every id it has seen (to de-duplicate offset pages and, after the
// read, to mark what was not seen as deleted). "4711" is kept as the number 4711 and
// "employment:4711" as 4711 under the prefix "employment:", anything else as a string.
//
// The numbers live in a typed array (IntegerSet), not in a Set<number>: a Set of 100,000
// numbers is ~2.6 MB of V8 heap, and a Personio sync keeps three of them (the paging's
// de-duplication set, the run's employees and employments), ~8 MB that grew with the
// company. V8 sizes the old generation as a multiple of what is live
// (V8_HEAP_GROWTH_PERCENT, src/config/heap.ts), so that heap cost the process about twice
// as much RSS, and peak RSS rose from 10,000 to 100,000 employees. A typed array's memory
// is outside the V8 heap (nothing for the heap limit to multiply) and takes 4 bytes a slot
// for ids below 2^32, ~0.5–1 MB per 100,000 ids (docs/benchmarks.md).

/** Up to 15 digits without a leading zero: exactly representable, and String(n) gives the same text back. */
const NUMERIC_TAIL = /^(.*?)(0|[1-9]\d{0,14})$/s;

export class RemoteIdSet implements Iterable<string> {
  private readonly numeric = new Map<string, IntegerSet>();
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
    if (!set) this.numeric.set(m[1], (set = new IntegerSet()));
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

  /** In no particular order (numeric ids in hash order); the set must not change while it is iterated. */
  *[Symbol.iterator](): IterableIterator<string> {
    for (const [prefix, set] of this.numeric) for (const n of set) yield prefix + String(n);
    yield* this.other;
  }
}

/** Slots in use at most this share of the table: linear probing stays short (~2 probes a lookup). */
const MAX_LOAD = 0.7;
const TWO_TO_32 = 2 ** 32;

/**
 * Non-negative integers below 2^53 in one typed array: open addressing with linear probing,
 * 0 marking a free slot (so 0 itself is a flag). Uint32 slots while every number fits, Float64
 * from the first that does not. Exported for its spec.
 */
export class IntegerSet implements Iterable<number> {
  private slots: Uint32Array | Float64Array = new Uint32Array(16);
  /** 32 − log2(slots.length): the hash's top bits pick the slot (Fibonacci hashing). */
  private shift = 28;
  private used = 0;
  private hasZero = false;

  get size(): number {
    return this.used + (this.hasZero ? 1 : 0);
  }

  has(n: number): boolean {
    if (n === 0) return this.hasZero;
    return this.slots[this.find(n)] === n;
  }

  add(n: number): void {
    if (n === 0) {
      this.hasZero = true;
      return;
    }
    if (n >= TWO_TO_32 && this.slots instanceof Uint32Array) this.resize(this.slots.length, true);
    let i = this.find(n);
    if (this.slots[i] === n) return;
    if (this.used + 1 > this.slots.length * MAX_LOAD) {
      this.resize(this.slots.length * 2, this.slots instanceof Float64Array);
      i = this.find(n);
    }
    this.slots[i] = n;
    this.used++;
  }

  delete(n: number): boolean {
    if (n === 0) {
      const had = this.hasZero;
      this.hasZero = false;
      return had;
    }
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = this.find(n);
    if (slots[i] !== n) return false;
    // Backward-shift deletion: a later key of the same probe run moves into the hole unless
    // its home slot lies cyclically after the hole, so every key stays reachable from its home.
    for (let j = (i + 1) & mask; slots[j] !== 0; j = (j + 1) & mask) {
      const home = this.home(slots[j]);
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      slots[i] = slots[j];
      i = j;
    }
    slots[i] = 0;
    this.used--;
    return true;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    if (this.hasZero) yield 0;
    for (const n of this.slots) if (n !== 0) yield n;
  }

  private home(n: number): number {
    const lo = n >>> 0;
    const hi = (n - lo) / TWO_TO_32;
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  /** The slot holding n, or the free slot where it would go. */
  private find(n: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = this.home(n);
    while (slots[i] !== 0 && slots[i] !== n) i = (i + 1) & mask;
    return i;
  }

  private resize(length: number, wide: boolean): void {
    const old = this.slots;
    this.slots = wide ? new Float64Array(length) : new Uint32Array(length);
    this.shift = 32 - Math.log2(length);
    for (const n of old) {
      if (n !== 0) this.slots[this.find(n)] = n;
    }
  }
}
