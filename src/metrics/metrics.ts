import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus metric the gateway exposes, in one registry. Modules import the
 * metric they feed; /metrics renders the registry. Label values are bounded (route
 * templates, enums), never ids.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'hgw_' });

export const httpRequests = new Counter({
  name: 'hgw_http_requests_total',
  help: 'HTTP requests by route template, method and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpDuration = new Histogram({
  name: 'hgw_http_request_duration_seconds',
  help: 'HTTP request latency by route template and method.',
  labelNames: ['method', 'route'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const syncRuns = new Counter({
  name: 'hgw_sync_runs_total',
  help: 'Finished sync runs by type and final status.',
  labelNames: ['type', 'status'] as const,
  registers: [metricsRegistry],
});

export const syncDuration = new Histogram({
  name: 'hgw_sync_run_duration_seconds',
  help: 'Duration of finished sync runs by type.',
  labelNames: ['type'] as const,
  buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
  registers: [metricsRegistry],
});

export const syncRecords = new Counter({
  name: 'hgw_sync_records_total',
  help: 'Records written by syncs, by model and action (created, updated, deleted).',
  labelNames: ['model', 'action'] as const,
  registers: [metricsRegistry],
});

export const upstreamRequests = new Counter({
  name: 'hgw_upstream_requests_total',
  help: 'Requests to HR systems by tool, endpoint and status (0 = no response).',
  labelNames: ['tool', 'endpoint', 'status'] as const,
  registers: [metricsRegistry],
});

export const upstreamRateLimited = new Counter({
  name: 'hgw_upstream_rate_limited_total',
  help: '429 answers from HR systems by tool and endpoint.',
  labelNames: ['tool', 'endpoint'] as const,
  registers: [metricsRegistry],
});

export const upstreamErrors = new Counter({
  name: 'hgw_upstream_errors_total',
  help: 'Failed upstream calls by tool and error kind.',
  labelNames: ['tool', 'kind'] as const,
  registers: [metricsRegistry],
});

export const webhookDeliveries = new Counter({
  name: 'hgw_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome (delivered, retry, failed).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const webhookLatency = new Histogram({
  name: 'hgw_webhook_event_to_delivery_seconds',
  help: 'Time from an event being committed to its successful delivery.',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600],
  registers: [metricsRegistry],
});

export const outboxBacklog = new Gauge({
  name: 'hgw_webhook_outbox_backlog',
  help: 'Webhook deliveries waiting to be sent (sampled at scrape time).',
  registers: [metricsRegistry],
});

export const documentUploads = new Counter({
  name: 'hgw_document_uploads_total',
  help: 'Document uploads by outcome (succeeded, failed, replayed).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const housekeepingPrunedRows = new Counter({
  name: 'hgw_housekeeping_pruned_rows_total',
  help: 'Rows deleted by the housekeeping job (retention), by table.',
  labelNames: ['table'] as const,
  registers: [metricsRegistry],
});
