// Receives a delivery: finds the integration's subscription, authenticates it (the
// token compared in constant time, or the HRIS's signature over the raw body checked
// by the connector with the secret the HRIS issued), parses the delivery through the
// connector, records the events in Postgres (duplicates collapse) and returns. The
// re-read happens later, in a sync run, so the HRIS gets its answer well within its timeout.
import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GatewayError, inputInvalid } from '../common/errors';
import { getLogger } from '../common/logger';
import type { DeliveryHeaders } from '../../connectors/connector';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { CREDENTIAL_VAULT, CredentialVault } from '../integrations/vault';
import { rowsOf } from '../database/rows';
import { recordInboundEvents } from './inbound-events.repository';
import { InboundWorker } from './inbound.worker';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The same answer for an unknown integration, no subscription and a wrong token or signature: nothing to probe. */
const unknownTarget = () =>
  new GatewayError('PLATFORM.INTEGRATION_NOT_FOUND', 'No inbound endpoint exists at this address, or the token or signature does not match.');

@Injectable()
export class InboundService {
  private readonly log = getLogger('inbound');

  constructor(
    private readonly ds: DataSource,
    @Inject(CREDENTIAL_VAULT) private readonly vault: CredentialVault,
    private readonly worker: InboundWorker,
    private readonly connectors: ConnectorRegistry,
  ) {}

  async receive(integrationId: string, headers: DeliveryHeaders, body: unknown, rawBody: Buffer | undefined): Promise<{ events: number; recorded: number }> {
    const [row] = rowsOf<{ token: string; secret: string | null; tool: string }>(
      await this.ds.query(
        `SELECT b.token, b.secret, i.tool FROM inbound_subscriptions b JOIN integrations i ON i.id = b.integration_id
        WHERE b.integration_id = $1 AND b.status IN ('PENDING', 'ACTIVE', 'FAILED') AND b.token <> ''`,
        [integrationId],
      ),
    );
    const webhooks = row ? this.connectors.find(row.tool)?.webhooks : undefined;
    if (!row || !webhooks) throw unknownTarget();
    if (webhooks.verifyDelivery) {
      // Signed: only the exact bytes received can be checked (re-serialised JSON would differ).
      if (!row.secret || !rawBody || !webhooks.verifyDelivery(headers, rawBody, this.vault.open<string>(row.secret), new Date())) throw unknownTarget();
    } else {
      const sent = webhooks.deliveryToken(headers);
      // Digests have equal length, so the comparison takes the same time whatever was sent.
      if (sent === null || !timingSafeEqual(digest(sent), digest(this.vault.open<string>(row.token)))) throw unknownTarget();
    }
    const events = webhooks.parseDelivery(body);
    if (!events) throw inputInvalid('The body is not a change notification this integration understands.');
    const recorded = await recordInboundEvents(this.ds, integrationId, events);
    this.log.info({ integration_id: integrationId, events: events.map((e) => e.name), recorded }, 'inbound delivery recorded');
    if (recorded > 0) this.worker.wake();
    return { events: events.length, recorded };
  }
}
