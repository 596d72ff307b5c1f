import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: endpoints per environment, the outbox of events, one delivery row per
 * (event, endpoint) with its attempts, and the per-integration "models changed since the
 * last data-changed" marks. Events carry no foreign key to integrations on purpose:
 * `integration-deleted` must outlive the integration it names.
 */
export class Webhooks1795304823033 implements MigrationInterface {
  name = 'Webhooks1795304823033';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id                         text PRIMARY KEY,
        environment_id             text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        url                        text NOT NULL,
        description                text,
        events                     text[] NOT NULL DEFAULT '{}',
        record_events              boolean NOT NULL DEFAULT false,
        enabled                    boolean NOT NULL DEFAULT true,
        secret                     text NOT NULL,
        previous_secret            text,
        previous_secret_expires_at timestamptz,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_environment_idx ON webhook_endpoints (environment_id, created_at)`);

    await q.query(`
      CREATE TABLE webhook_events (
        id             text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        integration_id text,
        type           text NOT NULL,
        data           jsonb NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX webhook_events_environment_idx ON webhook_events (environment_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX webhook_events_integration_idx ON webhook_events (integration_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id              bigserial PRIMARY KEY,
        event_id        text NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
        endpoint_id     text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        claimed_by      text,
        claimed_until   timestamptz,
        last_status_code integer,
        last_error      text,
        first_attempt_at timestamptz,
        completed_at    timestamptz,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (event_id, endpoint_id)
      )`);
    // The worker's claim query walks due pending rows per endpoint; finished rows stay out of the index.
    await q.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_failed_idx ON webhook_deliveries (completed_at) WHERE status = 'failed'`);

    await q.query(`
      CREATE TABLE webhook_attempts (
        delivery_id bigint NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempt     integer NOT NULL,
        worker      text NOT NULL,
        started_at  timestamptz NOT NULL,
        status_code integer,
        latency_ms  integer,
        error       text,
        outcome     text NOT NULL CHECK (outcome IN ('succeeded', 'retry', 'failed')),
        PRIMARY KEY (delivery_id, attempt)
      )`);

    await q.query(`
      CREATE TABLE webhook_pending_changes (
        integration_id text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        model          text NOT NULL,
        marked_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (integration_id, model)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_pending_changes`);
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_events`);
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
