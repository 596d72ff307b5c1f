// The page memo of one full read (connectors' PageMemo): the sync_page_memos rows of its
// integration. Derived data only, so it never fails a run: a lookup that fails is a miss,
// a write that fails is logged, and the next read computes the value again.
import type { DataSource } from 'typeorm';
import type { PageMemo } from '../../connectors/connector';
import { rowsOf } from '../database/rows';

interface MemoLogger {
  warn(obj: object, msg: string): void;
}

export class PageMemos implements PageMemo {
  /** Digests this read recalled or remembered: what is kept when it ends (prune). */
  private readonly used = new Set<string>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly ds: DataSource,
    private readonly integrationId: string,
    private readonly log: MemoLogger,
  ) {}

  async recall(digest: string): Promise<string | null> {
    this.used.add(digest);
    try {
      const [row] = rowsOf<{ summary: string }>(
        await this.ds.query(`SELECT summary FROM sync_page_memos WHERE integration_id = $1 AND digest = $2`, [this.integrationId, digest]),
      );
      return row?.summary ?? null;
    } catch (e) {
      this.log.warn({ err: e }, 'could not read the page memo; reading the page in full');
      return null;
    }
  }

  remember(digest: string, value: string): void {
    this.used.add(digest);
    // A value that failed its check when recalled is replaced.
    const write = this.ds
      .query(
        `INSERT INTO sync_page_memos (integration_id, digest, summary) VALUES ($1, $2, $3)
         ON CONFLICT (integration_id, digest) DO UPDATE SET summary = EXCLUDED.summary`,
        [this.integrationId, digest, value],
      )
      .then(
        () => undefined,
        (e: unknown) => this.log.warn({ err: e }, 'could not store the page memo; the next full read reads that page in full'),
      );
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Waits for the memos being stored (before the run ends, so none outlives it). */
  private async settled(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
  }

  /**
   * When the read ends, complete or not: the memos it did not use are dropped — those of pages
   * that changed or are gone and, after a read that ended early, of the pages it did not reach
   * (the next read parses those again). So an integration never keeps more than about one
   * read's pages, whatever its runs' outcomes. A read that used none (it failed before its
   * first page) leaves the memos as they are.
   */
  async prune(): Promise<void> {
    await this.settled();
    if (this.used.size === 0) return;
    await this.ds
      .query(`DELETE FROM sync_page_memos WHERE integration_id = $1 AND NOT (digest = ANY($2::text[]))`, [this.integrationId, [...this.used]])
      .catch((e: unknown) => this.log.warn({ err: e }, 'could not drop unused page memos; the next full read will'));
  }
}
