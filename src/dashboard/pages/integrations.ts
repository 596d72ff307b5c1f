import type { IntegrationOverview } from '../dashboard.queries';
import { actionButton, csrfField, html, notice, page, PageContext, Raw, relative, when } from './layout';

const SETUP_LABEL: Record<string, string> = { INCOMPLETE: 'setup incomplete', FINAL_SYNC_PENDING: 'first sync pending', COMPLETED: '' };

export function stateBadge(i: Pick<IntegrationOverview, 'status' | 'setup_status' | 'status_reason'>): Raw {
  const setup = SETUP_LABEL[i.setup_status] ?? i.setup_status;
  return html`<span class="badge state-${i.status.toLowerCase()}" title="${i.status_reason ?? ''}">${i.status}</span>${
    setup ? html` <span class="badge setup">${setup}</span>` : ''
  }`;
}

/** Sync now (full, delta), enable/disable, relink, delete: the actions of one integration. */
export function integrationActions(ctx: PageContext, i: Pick<IntegrationOverview, 'id' | 'status'>, back: string): Raw {
  const base = `/dashboard/integrations/${encodeURIComponent(i.id)}`;
  const canSync = i.status !== 'INACTIVE';
  return html`<div class="actions">
${canSync ? actionButton(ctx, `${base}/sync`, 'Sync now (full)', { type: 'FULL', back }, 'small') : ''}
${canSync ? actionButton(ctx, `${base}/sync`, 'Sync now (delta)', { type: 'DELTA', back }, 'small secondary') : ''}
${
  i.status === 'INACTIVE'
    ? actionButton(ctx, `${base}/enabled`, 'Enable', { value: 'true', back }, 'small secondary')
    : actionButton(ctx, `${base}/enabled`, 'Disable', { value: 'false', back }, 'small secondary')
}
${actionButton(ctx, `${base}/relink`, 'Relink link', { back }, 'small secondary')}
<a class="button small danger" href="${base}/delete">Delete…</a>
</div>`;
}

/** `paging.more`: the next page's link, if any; `paging.paged`: this is not the first page. */
export function integrationsPage(
  ctx: PageContext,
  rows: IntegrationOverview[],
  flash: { ok?: string | null; error?: string | null },
  paging: { more: string | null; paged: boolean } = { more: null, paged: false },
): string {
  const now = Date.now();
  const table = rows.length
    ? html`<table class="data" id="integrations">
<thead><tr><th>Customer</th><th>Tool</th><th>State</th><th>Last successful sync</th><th class="num">Employees</th><th>Next sync</th><th>Actions</th></tr></thead>
<tbody>${rows.map(
        (i) => html`<tr data-integration-id="${i.id}">
<td><a href="/dashboard/integrations/${encodeURIComponent(i.id)}" class="customer">${i.organization}</a>
<div class="hint">${i.email ?? ''}${i.origin_id ? html` · ${i.origin_id}` : ''}</div><div class="hint mono">${i.id}</div></td>
<td>${i.tool}</td>
<td>${stateBadge(i)}${i.active_run ? html` <span class="badge run">${i.active_run === 'RUNNING' ? 'syncing' : 'queued'}</span>` : ''}
${i.status === 'INVALID' && i.status_reason ? html`<div class="hint error-text status-reason">${i.status_reason}</div>` : ''}
${i.last_run_status && i.last_run_status !== 'SUCCEEDED' ? html`<div class="hint error-text" title="${i.last_run_error ?? ''}">last run ${i.last_run_status}</div>` : ''}</td>
<td class="last-sync">${when(i.last_success_at)}<div class="hint">${relative(i.last_success_at, now)}</div></td>
<td class="num employees">${i.employees}</td>
<td class="next-sync">${i.next_sync_at ? html`${when(i.next_sync_at)}<div class="hint">${i.next_sync_type} ${relative(i.next_sync_at, now)}</div>` : html`<span class="hint">paused</span>`}</td>
<td>${integrationActions(ctx, i, '/dashboard/integrations')}</td>
</tr>`,
      )}</tbody></table>
<p class="pager">${paging.paged ? html`<a href="/dashboard/integrations" id="first-integrations">Newest integrations</a>` : ''}${
        paging.more ? html` <a href="${paging.more}" id="more-integrations">Older integrations</a>` : ''
      }</p>`
    : paging.paged
      ? html`<p class="empty">No older integrations. <a href="/dashboard/integrations">Newest integrations</a></p>`
      : html`<p class="empty">No integrations yet. <a href="/dashboard/connect">Create a connect link</a> and send it to a customer.</p>`;
  return page(ctx, 'integrations', 'Integrations', html`${notice('success', flash.ok)}${notice('error', flash.error)}${table}`);
}

export function deleteConfirmPage(ctx: PageContext, i: { id: string; organization: string; employees: number }): string {
  const body = html`<div class="card narrow danger-zone">
<p>Delete the integration of <strong>${i.organization}</strong> (<span class="mono">${i.id}</span>)?</p>
<p>Its credentials, the ${i.employees} synced employees and all other synced data and its run history are removed at once,
and the <code>integration-deleted</code> webhook is sent. This cannot be undone.</p>
<form method="post" action="/dashboard/integrations/${encodeURIComponent(i.id)}/delete">${csrfField(ctx)}
<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger" id="confirm-delete">Delete integration</button>
<a href="/dashboard/integrations" class="button secondary">Cancel</a>
</form></div>`;
  return page(ctx, 'integrations', 'Delete integration', body);
}

/** A freshly created link, with a copy button; shown once (the token is not stored, only its hash). */
export function linkCreatedPage(ctx: PageContext, title: string, link: { link: string; expires_at: string }, warnings: string[], back: string): string {
  const body = html`${notice('success', 'Link created. Copy it now: it cannot be shown again.')}
${warnings.map((w) => notice('info', w))}
<div class="copy-row"><input type="text" readonly value="${link.link}" id="created-link" class="mono">
<button type="button" data-copy="#created-link" id="copy-link">Copy</button><span class="hint" id="copy-status" aria-live="polite"></span></div>
<p class="hint">Valid until ${when(link.expires_at)} (${relative(link.expires_at)}).</p>
<p><a href="${back}">Back</a></p>`;
  return page(ctx, back.includes('connect') ? 'connect' : 'integrations', title, body);
}
