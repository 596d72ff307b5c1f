// A targeted run (trigger WEBHOOK): re-reads just the people the HRIS said changed,
// through the same page writer as every read (hashes, filters, outbox), and marks
// people the HRIS no longer has deleted. Many people at once is a flood: the runner
// reads a delta instead, and only the removals are read one by one.
import type { ConnectorContext, HrisConnector } from '../../connectors/connector';
import { PageContext, SyncStopped, writeBatch, writeGone } from './page-writer';

/** People per page (and per transaction) of a targeted read. */
const PEOPLE_PER_PAGE = 100;

export async function readTargets(
  pc: PageContext,
  connector: HrisConnector<unknown>,
  ctx: ConnectorContext<unknown>,
  personIds: string[],
  stop: { reason: SyncStopped['reason'] | null },
): Promise<void> {
  if (!connector.readPeople) throw new Error(`connector ${connector.tool.id} cannot re-read people`);
  for (let i = 0; i < personIds.length; i += PEOPLE_PER_PAGE) {
    if (stop.reason) throw new SyncStopped(stop.reason);
    const { batch, gone } = await connector.readPeople(ctx, personIds.slice(i, i + PEOPLE_PER_PAGE));
    if (batch.utc_offset_minutes !== undefined) pc.state.utcOffsetMinutes = batch.utc_offset_minutes;
    if (batch.employees.length) await writeBatch(pc, { batch });
    if (gone.employees.length || gone.employments.length) await writeGone(pc, gone);
  }
}
