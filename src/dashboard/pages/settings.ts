import type { IntegrationFilters } from '../../integrations/integration.entity';
import { filterValueLabel } from '../../integrations/management.labels';
import { EMPLOYMENT_STATUSES, EMPLOYMENT_TYPES } from '../../integrations/management.settings.dto';
import { csrfField, html, raw, Raw, when } from './layout';

/** What the integration page's settings form shows (IntegrationSettingsStore.view and .choices). */
export interface SettingsFormView {
  filters: Required<IntegrationFilters>;
  delta_interval_minutes: number;
  full_interval_minutes: number;
  expose_remote_data: boolean;
  defaults: { delta_interval_minutes: number; full_interval_minutes: number };
  /** The integration's own intervals (null: the default applies). */
  own: { delta_interval_minutes: number | null; full_interval_minutes: number | null };
  choices: Record<'legal_entity_remote_ids' | 'location_remote_ids' | 'group_remote_ids', { id: string; name: string; type?: string }[]>;
}

export interface SettingsChangeView {
  changed_at: string;
  actor: { type: string; id: string | null };
  changed_fields: string[];
  old_values: Record<string, unknown>;
  new_values: Record<string, unknown>;
}

type Field = keyof Required<IntegrationFilters>;
const LEGENDS: Record<Field, string> = {
  legal_entity_remote_ids: 'Legal entities',
  location_remote_ids: 'Locations',
  group_remote_ids: 'Groups (departments, teams)',
  employment_statuses: 'Employment status',
  employment_types: 'Employment type',
};
const ACTOR: Record<string, string> = { API_KEY: 'API key', DASHBOARD: 'Dashboard', CONNECT_PAGE: 'Customer (connect page)', CLI: 'CLI' };

function options(v: SettingsFormView, field: Field): { id: string; label: string }[] {
  const list: { id: string; label: string }[] =
    field === 'employment_statuses'
      ? EMPLOYMENT_STATUSES.map((s) => ({ id: s, label: filterValueLabel('en', 'statuses', s) }))
      : field === 'employment_types'
        ? EMPLOYMENT_TYPES.map((t) => ({ id: t, label: filterValueLabel('en', 'employment_types', t) }))
        : v.choices[field].map((c) => ({ id: c.id, label: c.type ? `${c.name} (${c.type.toLowerCase()})` : c.name }));
  // A chosen value whose record has gone stays visible, so saving the form does not drop it silently.
  for (const id of v.filters[field]) if (!list.some((o) => o.id === id)) list.push({ id, label: `${id} (no longer in the HR system)` });
  return list;
}

/** The filters and intervals of one integration, editable (POST …/settings, validated like PATCH /v1/integrations/{id}/settings). */
export function settingsSection(ctx: { csrf: string }, integrationId: string, v: SettingsFormView, changes: SettingsChangeView[]): Raw {
  const fields = Object.keys(LEGENDS) as Field[];
  const interval = (name: 'delta_interval_minutes' | 'full_interval_minutes', label: string) =>
    html`<label for="${name}">${label}</label><input type="text" inputmode="numeric" name="${name}" id="${name}" size="6" value="${v.own[name] === null ? '' : String(v.own[name])}" placeholder="${String(v.defaults[name])}"> <span class="hint">minutes (empty: the default, ${String(v.defaults[name])})</span>`;
  return html`<h2>Settings</h2>
<form method="post" action="/dashboard/integrations/${encodeURIComponent(integrationId)}/settings" id="settings-form" class="card settings">
${csrfField(ctx)}
<p class="hint">Only employees matching the filters are synced: any chosen value within a field, every field with a choice. A change of filters starts a full sync at once.</p>
<div class="filter-grid">${fields.map(
    (f) => html`<fieldset data-field="${f}"><legend>${LEGENDS[f]}</legend>
${options(v, f).map((o) => html`<label class="check"><input type="checkbox" name="${f}" value="${o.id}"${v.filters[f].includes(o.id) ? raw(' checked') : ''}> ${o.label}</label>`)}
${options(v, f).length ? '' : html`<p class="hint">None synced yet.</p>`}</fieldset>`,
  )}</div>
<div class="row"><div>${interval('delta_interval_minutes', 'Delta sync every')}</div><div>${interval('full_interval_minutes', 'Full sync every')}</div></div>
<label class="check"><input type="checkbox" name="expose_remote_data" value="true" id="expose_remote_data"${v.expose_remote_data ? raw(' checked') : ''}> Include the HR system's raw record (<code>remote_data</code>) in API responses</label>
<button type="submit" id="save-settings">Save settings</button>
</form>
<h3>Changes of settings</h3>
${
  changes.length
    ? html`<table class="data" id="settings-changes"><thead><tr><th>When</th><th>Who</th><th>Changed</th><th>Before</th><th>After</th></tr></thead>
<tbody>${changes.map(
        (
          c,
        ) => html`<tr><td>${when(c.changed_at)}</td><td>${ACTOR[c.actor.type] ?? c.actor.type}${c.actor.id ? html` <span class="mono hint">${c.actor.id}</span>` : ''}</td>
<td>${c.changed_fields.join(', ')}</td><td class="mono">${JSON.stringify(c.old_values)}</td><td class="mono">${JSON.stringify(c.new_values)}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="empty" id="settings-changes-empty">No changes yet.</p>`
}`;
}
