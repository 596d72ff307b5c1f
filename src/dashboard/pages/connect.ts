import { LANGUAGES, LINK_TYPES, MAX_EXPIRY_MINUTES, MIN_EXPIRY_MINUTES } from '../../connect/connect.dto';
import { csrfField, html, notice, page, PageContext, raw } from './layout';

/** The create-link form: the options of POST /v1/connect/create-link. */
export function connectPage(ctx: PageContext, tools: { id: string; label: string }[], values: Record<string, string>, errors: string[]): string {
  const v = (k: string) => values[k] ?? '';
  const select = (name: string, options: readonly string[], def: string) =>
    html`<select name="${name}" id="${name}">${options.map((o) => html`<option value="${o}"${(v(name) || def) === o ? raw(' selected') : ''}>${o}</option>`)}</select>`;
  const body = html`${errors.map((e) => notice('error', e))}
<p class="hint">A link lets a customer connect their HR system on the hosted connect page. EMBEDDED links are opened with
<code>@kombo-api/connect</code> in your product (1 hour by default); MAGIC_LINK links are sent to the customer (1 year by default).</p>
<form method="post" action="/dashboard/connect" class="card form" id="create-link-form">${csrfField(ctx)}
<label for="end_user_organization_name">Customer organization</label>
<input type="text" name="end_user_organization_name" id="end_user_organization_name" value="${v('end_user_organization_name')}" required maxlength="500">
<label for="end_user_email">Customer email</label>
<input type="email" name="end_user_email" id="end_user_email" value="${v('end_user_email')}" required maxlength="320">
<label for="end_user_origin_id">Your id for the customer <span class="hint">(optional)</span></label>
<input type="text" name="end_user_origin_id" id="end_user_origin_id" value="${v('end_user_origin_id')}" maxlength="500">
<div class="row">
<div><label for="integration_tool">Tool</label><select name="integration_tool" id="integration_tool">${tools.map(
    (t) => html`<option value="${t.id}"${v('integration_tool') === t.id ? raw(' selected') : ''}>${t.label}</option>`,
  )}</select></div>
<div><label for="link_type">Link type</label>${select('link_type', LINK_TYPES, 'EMBEDDED')}</div>
<div><label for="language">Language</label>${select('language', LANGUAGES, 'en')}</div>
<div><label for="expires_in_minutes">Expires in (minutes)</label>
<input type="number" name="expires_in_minutes" id="expires_in_minutes" min="${MIN_EXPIRY_MINUTES}" max="${MAX_EXPIRY_MINUTES}" value="${v('expires_in_minutes')}" placeholder="default"></div>
</div>
<label class="check"><input type="checkbox" name="enable_filtering" id="enable_filtering" value="true"${v('enable_filtering') === 'true' ? raw(' checked') : ''}>
Let the customer choose which employees to sync (filtering step)</label>
<button type="submit" id="create-link">Create link</button>
</form>`;
  return page(ctx, 'connect', 'Connect links', body);
}
