// The read side of a run: the connector's pages turned into prepared pages (ids,
// rows, hashes), one page ahead of the writer.
import type { UnifiedBatch } from '../../connectors/unified';
import type { IntegrationFilters } from '../integrations/integration.entity';
import { PreparedPage, preparePage } from '../records/page';
import type { RunState } from './page-writer';

/** Pulls one page ahead: the next request is in flight while the current page is written. */
export async function* prefetched<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const pull = () => {
    const p = it.next();
    p.catch(() => undefined); // consumed below; avoids an unhandled rejection while a page is being written
    return p;
  };
  let next = pull();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = pull();
      yield r.value;
    }
  } finally {
    void Promise.resolve(it.return?.(undefined)).catch(() => undefined);
  }
}

export async function* prepared(
  read: AsyncIterable<UnifiedBatch>,
  integrationId: string,
  filters: IntegrationFilters,
  state: RunState,
): AsyncGenerator<PreparedPage> {
  for await (const batch of read) {
    if (batch.utc_offset_minutes !== undefined) state.utcOffsetMinutes = batch.utc_offset_minutes;
    yield preparePage(integrationId, filters, batch);
  }
}
