/**
 * A bounded in-memory map of successful lookups, each kept at most `ttlMs`. Only what a
 * lookup found is stored (a miss is never cached, so unknown keys cannot grow it), the
 * oldest entry makes room past `max`, and clear() drops everything at once — including
 * a lookup still in flight, whose result is then returned but not kept (it may predate
 * the change that caused the clear). A `ttlMs` of 0 disables caching.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until > Date.now()) return hit.value;
    this.entries.delete(key);
    return undefined;
  }

  /** The cached value, else `load()`'s, which is kept unless it is null or a clear() happened meanwhile. */
  async getOrLoad(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const value = await load();
    if (value !== null && this.ttlMs > 0 && generation === this.generation) {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value, until: Date.now() + this.ttlMs });
    }
    return value;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
