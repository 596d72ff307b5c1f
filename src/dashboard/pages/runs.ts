import type { IntegrationOverview, RunPoint } from '../dashboard.queries';
import { runChart } from './chart';
import { integrationActions, stateBadge } from './integrations';
import { duration, html, notice, page, PageContext, Raw, relative, when } from './layout';

/** A sync run as the runs tab shows it (toSyncRunView of the sync module). */
export interface RunView {
  id: string;
  type: string;
  trigger: string;
  status: string;
  attempt: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  error: string | null;
  queued_at: string;
  started_at: string | null;
  duration_seconds: number | null;
}

const TRIGGER_LABEL: Record<string, string> = {
  SCHEDULE: 'schedule',
  MANUAL: 'manual (dashboard)',
  API: 'manual (API)',
  FIRST_SYNC: 'first sync',
  RELINK: 'relink',
  RETRY: 'retry',
  WEBHOOK: 'change notification',
};

const REALTIME_LABEL: Record<string, string> = {
  ACTIVE: 'on: changes arrive within seconds',
  PENDING: 'subscribing',
  FAILED: 'subscription failing; polling',
  UNAVAILABLE: 'off; polling',
  DISABLED: 'off (integration disabled)',
};

export function runsPage(
  ctx: PageContext,
  i: IntegrationOverview,
  runs: RunView[],
  points: RunPoint[],
  olderHref: string | null,
  flash: { ok?: string | null; error?: string | null },
  settings: Raw | string = '',
): string {
  const now = Date.now();
  const body = html`${notice('success', flash.ok)}${notice('error', flash.error)}
<section class="summary">
<dl>
<dt>Customer</dt><dd id="customer">${i.organization}${i.email ? html` · ${i.email}` : ''}${i.origin_id ? html` · ${i.origin_id}` : ''}</dd>
<dt>Integration</dt><dd class="mono">${i.id} (${i.tool})</dd>
<dt>State</dt><dd id="state">${stateBadge(i)}${i.status_reason ? html` <span class="hint">${i.status_reason}</span>` : ''}</dd>
<dt>Last successful sync</dt><dd>${when(i.last_success_at)} <span class="hint">${relative(i.last_success_at, now)}</span></dd>
<dt>Employees</dt><dd id="employee-count">${i.employees}</dd>
<dt>Real time</dt><dd id="realtime">${i.realtime_status ? (REALTIME_LABEL[i.realtime_status] ?? i.realtime_status) : 'off; polling'}${i.realtime_reason ? html` <span class="hint">${i.realtime_reason}</span>` : ''}</dd>
<dt>Next sync</dt><dd>${i.next_sync_at ? html`${i.next_sync_type} ${when(i.next_sync_at)} <span class="hint">${relative(i.next_sync_at, now)}</span>` : 'paused'}</dd>
</dl>
${integrationActions(ctx, i, `/dashboard/integrations/${encodeURIComponent(i.id)}`)}
</section>
${settings}
<h2>Run history</h2>
${runChart(points)}
${
  runs.length
    ? html`<table class="data" id="runs">
<thead><tr><th>Triggered at</th><th>Trigger</th><th>Type</th><th>Status</th><th class="num">Duration</th>
<th class="num">Created</th><th class="num">Updated</th><th class="num">Deleted</th><th class="num">Unchanged</th><th>Error</th></tr></thead>
<tbody>${runs.map(
        (r) => html`<tr data-run-id="${r.id}" data-status="${r.status}">
<td>${when(r.queued_at)}</td>
<td>${TRIGGER_LABEL[r.trigger] ?? r.trigger}${r.attempt > 1 ? html` <span class="hint">(attempt ${r.attempt})</span>` : ''}</td>
<td>${r.type}</td>
<td><span class="badge run-${r.status.toLowerCase()}">${r.status}</span></td>
<td class="num">${duration(r.duration_seconds)}</td>
<td class="num">${r.created}</td><td class="num">${r.updated}</td><td class="num">${r.deleted}</td><td class="num">${r.unchanged}</td>
<td class="error-text">${r.error ?? ''}</td>
</tr>`,
      )}</tbody></table>
${olderHref ? html`<p><a href="${olderHref}" id="older-runs">Older runs</a></p>` : ''}`
    : html`<p class="empty">No sync runs yet.</p>`
}`;
  return page(ctx, 'integrations', i.organization, body);
}
