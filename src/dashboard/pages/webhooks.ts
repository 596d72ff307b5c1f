import { actionButton, csrfField, html, notice, page, PageContext, raw, when } from './layout';

export interface DeliveryView {
  endpoint_id: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  completed_at: string | null;
}

export interface EventView {
  id: string;
  type: string;
  integration_id: string | null;
  created_at: string;
  deliveries: DeliveryView[];
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

function lastResponse(d: DeliveryView): string {
  if (d.last_status_code !== null && d.last_status_code !== undefined)
    return `HTTP ${d.last_status_code}${d.last_error && !/^HTTP \d+$/.test(d.last_error) ? ` · ${d.last_error}` : ''}`;
  return d.last_error ?? (d.attempts === 0 ? 'not sent yet' : '—');
}

export function webhooksPage(
  ctx: PageContext,
  events: EventView[],
  endpoints: { id: string; url: string; enabled: boolean }[],
  filter: { status: string | null },
  nextHref: string | null,
  flash: { ok?: string | null; error?: string | null },
): string {
  const urls = new Map(endpoints.map((e) => [e.id, e.url]));
  const since = new Date(Date.now() - 24 * 3600_000).toISOString().slice(0, 16);
  const body = html`${notice('success', flash.ok)}${notice('error', flash.error)}
<section class="toolbar">
<form method="get" action="/dashboard/webhooks" class="inline">
<label for="status-filter">Status</label>
<select name="status" id="status-filter" data-autosubmit><option value="">all</option>${DELIVERY_STATUSES.map(
    (s) => html`<option value="${s}"${filter.status === s ? raw(' selected') : ''}>${s}</option>`,
  )}</select><button type="submit" class="small secondary" data-hide-with-js>Filter</button></form>
<form method="post" action="/dashboard/webhooks/redeliver-failed" class="inline" id="redeliver-failed-form">${csrfField(ctx)}
<label for="since">Redeliver every failed delivery since (UTC)</label>
<input type="datetime-local" name="since" id="since" value="${since}" required>
<button type="submit" class="small" id="redeliver-failed">Redeliver failed</button></form>
</section>
${endpoints.length === 0 ? html`<p class="hint">No webhook endpoints are registered in this environment (POST /v1/webhooks/endpoints).</p>` : ''}
${
  events.length
    ? html`<table class="data" id="events">
<thead><tr><th>Created</th><th>Event</th><th>Integration</th><th>Endpoint</th><th>Status</th><th class="num">Attempts</th><th>Last response</th><th></th></tr></thead>
<tbody>${events.map((e) => {
        const ds = e.deliveries.length ? e.deliveries : [null];
        return ds.map(
          (d, n) => html`<tr data-event-id="${e.id}"${d ? html` data-status="${d.status}"` : ''}>
${
  n === 0
    ? html`<td rowspan="${ds.length}">${when(e.created_at)}</td><td rowspan="${ds.length}">${e.type}<div class="hint mono">${e.id}</div></td>
<td rowspan="${ds.length}" class="mono">${e.integration_id ?? '—'}</td>`
    : ''
}
${
  d
    ? html`<td class="mono">${urls.get(d.endpoint_id) ?? d.endpoint_id}</td><td><span class="badge delivery-${d.status}">${d.status}</span></td>
<td class="num">${d.attempts}</td><td>${lastResponse(d)}${d.status === 'pending' && d.next_attempt_at ? html`<div class="hint">next ${when(d.next_attempt_at)}</div>` : ''}</td>`
    : html`<td colspan="4" class="hint">no endpoint subscribed</td>`
}
${n === 0 ? html`<td rowspan="${ds.length}">${actionButton(ctx, `/dashboard/webhooks/events/${encodeURIComponent(e.id)}/redeliver`, 'Redeliver', {}, 'small secondary')}</td>` : ''}
</tr>`,
        );
      })}</tbody></table>
${nextHref ? html`<p><a href="${nextHref}" id="older-events">Older events</a></p>` : ''}`
    : html`<p class="empty">No webhook events${filter.status ? ` with a ${filter.status} delivery` : ''}.</p>`
}`;
  return page(ctx, 'webhooks', 'Webhook deliveries', body);
}
