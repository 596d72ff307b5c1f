import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Some HR systems do not echo a token the gateway chose but sign each delivery with a secret
 * they issue once, when the subscription is created. That secret is kept here, sealed by the
 * credential vault like the token; null for subscriptions authenticated by their token.
 */
export class InboundSubscriptionSecret1795350000000 implements MigrationInterface {
  name = 'InboundSubscriptionSecret1795350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_subscriptions ADD COLUMN secret text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_subscriptions DROP COLUMN secret`);
  }
}
