import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change notifications pushed by an HRIS: the per-integration subscription (its
 * inbound token encrypted with the vault, the remote subscription id and health),
 * and each received event, recorded before it is acknowledged. `run_id` is the
 * sync run that re-reads its people; duplicates collapse on (integration, dedupe_key).
 */
export class InboundEvents1795330000000 implements MigrationInterface {
  name = 'InboundEvents1795330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_subscriptions (
        integration_id  text PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
        token           text NOT NULL,
        remote_id       text,
        status          text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'FAILED', 'UNAVAILABLE', 'DISABLED')),
        status_reason   text,
        checked_at      timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE inbound_events (
        id              bigserial PRIMARY KEY,
        integration_id  text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        dedupe_key      text NOT NULL,
        event_name      text NOT NULL,
        person_ids      text[] NOT NULL,
        removal         boolean NOT NULL DEFAULT false,
        occurred_at     timestamptz,
        received_at     timestamptz NOT NULL DEFAULT now(),
        run_id          text,
        processed_at    timestamptz
      )`);
    // Duplicates collapse while the event waits; once a run has taken it, the same key is recorded again, so a
    // change in the same second as one already re-read is not lost (the repeat re-read is a no-op when nothing changed).
    await q.query(`CREATE UNIQUE INDEX inbound_events_dedupe_idx ON inbound_events (integration_id, dedupe_key) WHERE run_id IS NULL`);
    await q.query(`CREATE INDEX inbound_events_pending_idx ON inbound_events (integration_id) WHERE processed_at IS NULL`);
    await q.query(`CREATE INDEX inbound_events_run_idx ON inbound_events (run_id) WHERE run_id IS NOT NULL AND processed_at IS NULL`);
    await q.query(`CREATE INDEX inbound_events_received_idx ON inbound_events (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbound_events`);
    await q.query(`DROP TABLE inbound_subscriptions`);
  }
}
