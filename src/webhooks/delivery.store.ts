import { DataSource } from 'typeorm';
import { outboxBacklog } from '../metrics/metrics';
import { rowsOf } from '../database/rows';
import { AttemptOutcome } from './retry';

/** A delivery claimed by this worker, with everything needed to send it. */
export interface ClaimedDelivery {
  id: string;
  attempt: number;
  firstAttemptAt: Date;
  eventId: string;
  eventCreatedAt: Date;
  type: string;
  data: unknown;
  endpointId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
}

export interface AttemptRecord {
  id: string;
  attempt: number;
  outcome: AttemptOutcome;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  started_at: string;
  next_attempt_at: string | null;
}

/**
 * Claims due deliveries: per endpoint at most `perEndpoint` in flight across every process
 * (claimed rows count until their result is written or their lease runs out), rows locked
 * with SKIP LOCKED so concurrent workers never take the same row, and the attempt number
 * incremented in the same statement — two processes can never send the same attempt.
 * A claim moves next_attempt_at to the lease's end: if this process dies, the row simply
 * becomes due again and is retried as the next attempt.
 *
 * Every step is an index probe whatever the planner's statistics say (right after a backlog
 * is written there are none, and a join it then chose read the whole table): "anything due?"
 * is a scalar probe per endpoint (an EXISTS may become a hash semi join over every pending
 * row), and events are fetched by their primary keys (`= ANY` of the claimed ids).
 */
const CLAIM = `
  WITH due AS (
    SELECT d.id
      FROM webhook_endpoints ep
      CROSS JOIN LATERAL (
        SELECT dd.id FROM webhook_deliveries dd
         WHERE dd.endpoint_id = ep.id AND dd.status = 'pending' AND dd.next_attempt_at <= now()
         ORDER BY dd.next_attempt_at
         LIMIT GREATEST(0, $2::int - (
           SELECT count(*) FROM webhook_deliveries c
            WHERE c.endpoint_id = ep.id AND c.status = 'pending' AND c.claimed_until > now() AND c.id <> ALL($5::bigint[])))
         FOR UPDATE SKIP LOCKED
      ) d
     WHERE ep.enabled
       AND (SELECT true FROM webhook_deliveries x WHERE x.endpoint_id = ep.id AND x.status = 'pending' AND x.next_attempt_at <= now() LIMIT 1)
     LIMIT $1
  ), claimed AS (
    UPDATE webhook_deliveries w
       SET attempts = w.attempts + 1,
           claimed_by = $3,
           claimed_until = now() + make_interval(secs => $4::float8 / 1000),
           next_attempt_at = now() + make_interval(secs => $4::float8 / 1000),
           first_attempt_at = coalesce(w.first_attempt_at, now())
     WHERE w.id = ANY(ARRAY(SELECT id FROM due))
    RETURNING w.id, w.attempts, w.first_attempt_at, w.event_id, w.endpoint_id
  )
  SELECT c.id, c.attempts, c.first_attempt_at, e.id AS event_id, e.created_at AS event_created_at, e.type, e.data, ep.id AS endpoint_id, ep.url, ep.secret,
         CASE WHEN ep.previous_secret_expires_at > now() THEN ep.previous_secret END AS previous_secret
    FROM claimed c
    JOIN webhook_events e ON e.id = c.event_id
    JOIN webhook_endpoints ep ON ep.id = c.endpoint_id
   WHERE e.id = ANY(ARRAY(SELECT event_id FROM claimed))`;

/**
 * Writes a batch of attempt results: the attempt log always (the request was sent), the
 * delivery row only while this worker still holds that attempt's claim — a result that
 * arrives after the lease expired, or after a redelivery reset the row, changes nothing.
 * The rows are found by primary key (`= ANY($3)`): joined to the batch alone, a table of a
 * few thousand rows was read whole (a hash join) on every round.
 */
const RECORD = `
  WITH r AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, attempt int, outcome text, status_code int, latency_ms int,
                                                     error text, started_at timestamptz, next_attempt_at timestamptz)
  ), upd AS (
    UPDATE webhook_deliveries d
       SET status = CASE r.outcome WHEN 'retry' THEN 'pending' ELSE r.outcome END,
           next_attempt_at = coalesce(r.next_attempt_at, d.next_attempt_at),
           claimed_by = NULL, claimed_until = NULL,
           last_status_code = r.status_code, last_error = r.error,
           completed_at = CASE WHEN r.outcome = 'retry' THEN NULL ELSE clock_timestamp() END
      FROM r
     WHERE d.id = ANY($3::bigint[]) AND d.id = r.id AND d.claimed_by = $2 AND d.attempts = r.attempt
    RETURNING d.id
  )
  INSERT INTO webhook_attempts (delivery_id, attempt, worker, started_at, status_code, latency_ms, error, outcome)
  SELECT r.id, r.attempt, $2, r.started_at, r.status_code, r.latency_ms, r.error, r.outcome
    FROM r JOIN webhook_deliveries d ON d.id = r.id  -- the endpoint may have been deleted meanwhile
   WHERE d.id = ANY($3::bigint[])
     FOR KEY SHARE OF d
  ON CONFLICT DO NOTHING`;

/** Deliveries waiting to be sent, for the /metrics backlog gauge. */
export async function sampleBacklog(ds: DataSource): Promise<void> {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'`);
  outboxBacklog.set(n);
}

export class DeliveryStore {
  constructor(private readonly ds: DataSource) {}

  /** `finishing`: ids of deliveries whose results are being written right now (not counted as in flight). */
  async claim(workerId: string, limit: number, perEndpoint: number, leaseMs: number, finishing: string[] = []): Promise<ClaimedDelivery[]> {
    const list = rowsOf<Record<string, unknown>>(await this.ds.query(CLAIM, [limit, perEndpoint, workerId, leaseMs, finishing]));
    return list.map((r) => ({
      id: String(r.id),
      attempt: Number(r.attempts),
      firstAttemptAt: new Date(r.first_attempt_at as string),
      eventId: r.event_id as string,
      eventCreatedAt: new Date(r.event_created_at as string),
      type: r.type as string,
      data: r.data,
      endpointId: r.endpoint_id as string,
      url: r.url as string,
      secret: r.secret as string,
      previousSecret: (r.previous_secret as string | null) ?? null,
    }));
  }

  async record(workerId: string, results: AttemptRecord[]): Promise<void> {
    if (results.length) await this.ds.query(RECORD, [JSON.stringify(results), workerId, results.map((r) => r.id)]);
  }
}
