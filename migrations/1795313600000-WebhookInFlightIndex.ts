import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The claim query counts each endpoint's deliveries in flight (claimed, result not yet
 * written). Through the due index that count read every pending row of the endpoint, so a
 * backlog of 20,000 events made every claim scan 20,000 rows; this index holds only the
 * claimed ones.
 */
export class WebhookInFlightIndex1795313600000 implements MigrationInterface {
  name = 'WebhookInFlightIndex1795313600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX webhook_deliveries_in_flight_idx ON webhook_deliveries (endpoint_id, claimed_until) WHERE status = 'pending' AND claimed_until IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_in_flight_idx`);
  }
}
