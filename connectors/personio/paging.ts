// Consistent reads over Personio's offset pagination.
//
// Offsets shift when employees are hired or deleted during a read: a delete
// before the current offset makes the next page skip a record, an insert makes
// it repeat one. So a read de-duplicates by id and checks itself: a pass is
// complete when total_elements stayed the same on every page and the pass saw
// exactly that many distinct ids. Otherwise it reads again from offset 0,
// yielding only ids not yet yielded, up to `maxPasses`.
//
// Memory stays flat: pages are yielded as they arrive; only the ids are kept, compactly
// (RemoteIdSet), and in the first pass — usually the only one — a single set serves both
// as the pass's ids and as the ids yielded. (An insert and a delete landing in the same pass keep the counts equal
// and cannot be detected here; the periodic full sync catches that drift.)
import { ConnectorError } from '../connector';
import { RemoteIdSet } from '../remote-id-set';

/** A page of the list as paging reads it: what the server said of the list, and each item's id (null: an item without one). */
export interface ListPage {
  total: number | null;
  /** The limit the server says it used. */
  limit: unknown;
  ids: ReadonlyArray<string | null>;
}

export type FetchListPage<P extends ListPage> = (offset: number, limit: number) => Promise<P>;

export interface PagingOptions<P extends ListPage = ListPage> {
  pageSize: number;
  maxPasses: number;
  /** Called when a pass was inconsistent and another one starts (for logs and tests). */
  onRepass?(info: { pass: number; seen: number; total: number | null; reason: string }): void;
  /** Items without an id cannot be keyed; they are reported (page and index) and skipped. */
  onSkipped?(page: P, index: number): void;
  /** Ids yielded by an earlier pass that the final, consistent pass no longer saw (deleted mid-read). */
  onVanished?(ids: string[]): void;
  /**
   * Pages requested ahead of the one being read, once total_elements says they exist: the
   * rate limiter, not the round trip, then sets the pace (a small company uses Personio's
   * burst allowance). Pages are still checked in order; a pass that ends early drops them.
   */
  lookahead?: number;
}

/**
 * Yields, per page, the indexes of its items whose ids were never yielded before in this read
 * (a page with none is not yielded).
 */
export async function* readListConsistently<P extends ListPage>(
  fetchPage: FetchListPage<P>,
  opts: PagingOptions<P>,
): AsyncGenerator<{ page: P; fresh: number[] }> {
  const yielded = new RemoteIdSet();
  for (let pass = 1; pass <= opts.maxPasses; pass++) {
    // In the first pass every id seen is yielded, so the two sets would be equal.
    const passIds = pass === 1 ? yielded : new RemoteIdSet();
    let skipped = 0;
    const totals = new Set<number | null>();
    let offset = 0;
    let offsetIgnored = false;
    const ahead = new Map<number, Promise<P>>();
    const request = (at: number) => {
      let p = ahead.get(at);
      if (p) ahead.delete(at);
      else p = fetchPage(at, opts.pageSize);
      return p;
    };
    for (;;) {
      const page = await request(offset);
      const total = page.total;
      totals.add(total);
      let newInPass = 0;
      const fresh: number[] = [];
      for (let i = 0; i < page.ids.length; i++) {
        const id = page.ids[i];
        if (id === null) {
          skipped++;
          if (pass === 1) opts.onSkipped?.(page, i);
          continue;
        }
        const isFresh = !yielded.has(id);
        if (!passIds.has(id)) {
          newInPass++;
          passIds.add(id);
        }
        if (isFresh) {
          yielded.add(id);
          fresh.push(i);
        }
      }
      if (fresh.length > 0) yield { page, fresh };
      if (page.ids.length === 0) break;
      if (newInPass === 0 && offset > 0) {
        // The server ignored offset (the spec says it may with updated_since): stop instead of looping.
        offsetIgnored = true;
        break;
      }
      // Step by what the server says it used: it may cap our limit (100 today).
      const step = Number(page.limit) > 0 ? Math.min(Number(page.limit), opts.pageSize) : opts.pageSize;
      offset += step;
      if (total !== null ? offset >= total : page.ids.length < step) break;
      for (let k = 0; total !== null && k < (opts.lookahead ?? 0); k++) {
        const at = offset + k * step;
        if (at >= total || ahead.has(at)) continue;
        const p = fetchPage(at, opts.pageSize);
        p.catch(() => undefined); // awaited in turn, or dropped with its pass
        ahead.set(at, p);
      }
    }
    const [onlyTotal] = [...totals];
    const stable = totals.size === 1;
    if (offsetIgnored || (stable && (onlyTotal === null || onlyTotal === passIds.size + skipped))) {
      if (pass > 1 && !offsetIgnored && opts.onVanished) {
        const vanished = [...yielded].filter((id) => !passIds.has(id));
        if (vanished.length) opts.onVanished(vanished);
      }
      return;
    }
    const reason = stable ? `saw ${passIds.size} of ${onlyTotal} employees` : 'total changed between pages';
    if (pass === opts.maxPasses) {
      throw new ConnectorError(
        'UPSTREAM_UNAVAILABLE',
        `Personio's employee list kept changing while it was read (${reason} after ${pass} passes); try again later`,
        { endpoint: 'employees' },
      );
    }
    opts.onRepass?.({ pass, seen: passIds.size, total: onlyTotal ?? null, reason });
  }
}
