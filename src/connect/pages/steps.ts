import type { ConnectInfo, CredentialField, MissingItem, Requirement } from '../../../connectors/connector';
import { FILTER_DIMENSIONS, type CheckSummary, type FilterDimension, type FilterOptions } from '../connect.types';
import { filterValueLabel } from '../../integrations/management.labels';
import { localized, t, type Lang } from './i18n';
import { html, raw, type Raw } from '../../common/html';
import { layout } from './layout';

/** What the page shows that is specific to the link's tool: the connector's credential fields and connect info. */
export interface ToolView {
  label: string;
  fields: CredentialField[];
  connect: ConnectInfo;
}

export interface PageContext {
  lang: Lang;
  toolLabel: string;
  tool: ToolView;
  basePath: string;
  linkType: 'EMBEDDED' | 'MAGIC_LINK';
  token: string;
  organization: string;
  relink: boolean;
  /** A fresh CSRF token for the forms of this page. */
  csrf: string;
}

function page(ctx: Pick<PageContext, 'lang' | 'toolLabel' | 'basePath'> & { linkType: PageContext['linkType'] | null }, body: Raw): string {
  return layout({
    lang: ctx.lang,
    title: t(ctx.lang, 'title', { tool: ctx.toolLabel }),
    basePath: ctx.basePath,
    linkType: ctx.linkType,
    closeLabel: t(ctx.lang, 'close'),
    noscript: t(ctx.lang, 'noscript'),
    body,
  });
}

const action = (ctx: PageContext, step: string) => `${ctx.basePath}/connect/${ctx.token}/${step}`;
const csrfField = (ctx: PageContext) => html`<input type="hidden" name="csrf" value="${ctx.csrf}">`;

const requirementOf = (connect: ConnectInfo, m: Pick<MissingItem, 'kind' | 'key'>): Requirement | undefined =>
  connect.requirements.find((r) => r.kind === m.kind && r.key === m.key);

/** A missing item in the page's language, from the connector's requirement (its own message is English). */
function missingText(lang: Lang, connect: ConnectInfo, m: MissingItem): string {
  const r = requirementOf(connect, m);
  if (m.kind === 'attribute') return t(lang, 'missingAttribute', { label: r ? localized(lang, r.label) : m.key, why: r ? localized(lang, r.why) : '' });
  if (r) return localized(lang, r.why);
  return lang === 'en' ? m.message : t(lang, 'missingPermission', { message: m.key });
}

function intro(ctx: PageContext): Raw {
  const vars = { org: ctx.organization, tool: ctx.toolLabel };
  if (ctx.relink) return html`<p class="lead">${t(ctx.lang, 'relinkIntro', vars)}</p>`;
  return html`<p class="lead">${t(ctx.lang, 'intro', vars)}</p>
<section class="data"><h2>${t(ctx.lang, 'dataTitle')}</h2><ul>
<li>${t(ctx.lang, 'dataEmployees')}</li><li>${t(ctx.lang, 'dataChanges')}</li><li>${t(ctx.lang, 'dataDocuments', vars)}</li></ul>
<p class="hint">${t(ctx.lang, 'dataNothingElse')}</p></section>`;
}

/** The connector's guide; a step with `listRequirements` lists the attributes the credentials must read. */
function guide(lang: Lang, connect: ConnectInfo): Raw {
  const required = connect.requirements.filter((r) => r.kind === 'attribute' && !r.optional);
  return html`<details class="guide" open><summary>${localized(lang, connect.guide.title)}</summary><ol>
${connect.guide.steps.map((s) => html`<li>${localized(lang, s.text)}${s.listRequirements ? html`<ul class="attributes">${required.map((r) => html`<li>${localized(lang, r.label)}</li>`)}</ul>` : ''}</li>`)}</ol></details>`;
}

/** One input per credential field; secrets are never echoed back, other values show what was tested. */
function credentialInputs(lang: Lang, fields: CredentialField[], values: Record<string, string>): Raw {
  return html`${fields.map(
    (f) => html`<label for="${f.key}">${localized(lang, f.label)}</label>
${
  f.secret
    ? html`<input id="${f.key}" name="${f.key}" type="password" spellcheck="false" autocomplete="new-password" maxlength="${f.maxLength}" value="">`
    : html`<input id="${f.key}" name="${f.key}" type="text" spellcheck="false" autocapitalize="off" value="${values[f.key] ?? ''}" maxlength="${f.maxLength}">`
}
${f.help ? html`<p class="hint">${localized(lang, f.help)}</p>` : ''}`,
  )}`;
}

export interface CredentialsView {
  check: CheckSummary | null;
  /** Sealed credentials exist for this link: the secret may be left empty. */
  hasSavedCredentials: boolean;
  /** Messages above the form (validation, rate limit, CSRF). */
  errors: string[];
}

/** Step 1: what is read and why, the tool's guide, and the credential form (plus the last test's findings). */
export function credentialsPage(ctx: PageContext, view: CredentialsView): string {
  const { lang } = ctx;
  const check = view.check;
  const errors = [...view.errors];
  if (check?.error)
    errors.push(t(lang, check.error.kind === 'AUTH' ? 'auth' : check.error.kind === 'PERMISSION' ? 'permission' : 'unreachable', { tool: ctx.toolLabel }));
  const missing = check && !check.error ? check.missing : [];
  // Findings come first: after a test the customer must see them without scrolling.
  const body = html`${errors.length ? html`<div class="alert error" role="alert" id="errors">${errors.map((e) => html`<p>${e}</p>`)}</div>` : ''}
${
  missing.length
    ? html`<div class="alert warning" role="alert" id="missing"><p><strong>${t(lang, 'missingTitle', { tool: ctx.toolLabel })}</strong></p>
<ul>${missing.map((m) => html`<li data-key="${m.key}">${missingText(lang, ctx.tool.connect, m)}</li>`)}</ul><p>${localized(lang, ctx.tool.connect.missingHint)}</p></div>`
    : ''
}
${intro(ctx)}${guide(lang, ctx.tool.connect)}
<form method="post" action="${action(ctx, 'test')}" autocomplete="off" id="credentials">
${csrfField(ctx)}
${credentialInputs(lang, ctx.tool.fields, check?.values ?? {})}
${view.hasSavedCredentials ? html`<p class="hint" id="secret-kept">${t(lang, 'secretKept')}</p>` : ''}
<button type="submit" id="test-button">${view.hasSavedCredentials && missing.length ? t(lang, 'testAgain') : t(lang, 'test')}</button>
</form>`;
  return page(ctx, body);
}

/** Step 2: the connection works; optional filter step; finish. */
export function verifiedPage(
  ctx: PageContext,
  view: { check: CheckSummary; filters: FilterOptions | null; selected?: Partial<Record<FilterDimension, string[]>>; errors: string[] },
): string {
  const { lang } = ctx;
  const body = html`<div class="alert success" id="verified"><p><strong>${t(lang, 'okTitle')}</strong></p></div>
${view.check.warnings.length ? html`<div class="alert warning" id="warnings"><p>${t(lang, 'warningsTitle')}</p><ul>${view.check.warnings.map((m) => html`<li data-key="${m.key}">${missingText(lang, ctx.tool.connect, m)}</li>`)}</ul></div>` : ''}
${view.errors.length ? html`<div class="alert error" role="alert" id="errors">${view.errors.map((e) => html`<p>${e}</p>`)}</div>` : ''}
<form method="post" action="${action(ctx, 'finish')}" id="finish">
${csrfField(ctx)}
${view.filters ? filterFields(lang, view.filters, view.selected ?? {}) : ''}
<button type="submit" id="finish-button">${t(lang, 'finish')}</button>
</form>
<form method="post" action="${action(ctx, 'reset')}" class="secondary">${csrfField(ctx)}<button type="submit" class="link" id="reset-button">${t(lang, 'otherCredentials')}</button></form>`;
  return page(ctx, body);
}

/** Statuses and employment types are enums: the customer reads words ('Full-time', 'Vollzeit'), never the enum. */
function optionLabel(lang: Lang, dim: FilterDimension, o: { id: string; name: string }): string {
  return dim === 'statuses' || dim === 'employment_types' ? filterValueLabel(lang, dim, o.id) : o.name;
}

/** Options in the order of their labels (the read sorted them by name, which for enums is the enum). */
function labelled(lang: Lang, dim: FilterDimension, options: { id: string; name: string }[]): { id: string; name: string }[] {
  return [...options].sort((a, b) => optionLabel(lang, dim, a).localeCompare(optionLabel(lang, dim, b), lang));
}

function filterFields(lang: Lang, options: FilterOptions, selected: Partial<Record<FilterDimension, string[]>>): Raw {
  return html`<section class="filters" id="filters"><h2>${t(lang, 'filterTitle')}</h2><p class="hint">${t(lang, 'filterIntro')}</p>
${FILTER_DIMENSIONS.map(
  (dim) => html`<fieldset data-dimension="${dim}"><legend>${t(lang, dim)}</legend>
${options[dim].length ? labelled(lang, dim, options[dim]).map((o) => html`<label class="check"><input type="checkbox" name="${dim}" value="${o.id}"${selected[dim]?.includes(o.id) ? raw(' checked') : ''}> ${optionLabel(lang, dim, o)}</label>`) : html`<p class="hint">${t(lang, 'filterNone')}</p>`}
</fieldset>`,
)}
${options.truncated ? html`<p class="hint">${t(lang, 'filterTruncated')}</p>` : ''}</section>`;
}

/** Done. For embedded links the script posts the activation token to the parent window. */
export function donePage(ctx: Omit<PageContext, 'csrf'>, activationToken: string | null): string {
  const { lang } = ctx;
  const title = ctx.relink ? t(lang, 'relinkDoneTitle') : t(lang, 'doneTitle', { tool: ctx.toolLabel });
  const text = ctx.relink ? t(lang, 'relinkDoneText') : t(lang, 'doneText');
  const body = html`<section id="done" class="done"${activationToken ? html` data-activation-token="${activationToken}"` : ''}>
<h1>✓ ${title}</h1><p>${text}</p></section>`;
  return page(ctx, body);
}

/** Expired, used, unknown link, or an unexpected failure: a clear page in the link's language. */
export function statusPage(o: {
  lang: Lang;
  toolLabel: string;
  basePath: string;
  linkType: PageContext['linkType'] | null;
  title: string;
  text: string;
  id: string;
}): string {
  return page(o, html`<section class="status" id="${o.id}"><h1>${o.title}</h1><p>${o.text}</p></section>`);
}
