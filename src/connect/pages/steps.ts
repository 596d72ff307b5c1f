import { REQUIRED_ATTRIBUTES } from '../../../connectors/personio/check';
import type { MissingItem } from '../../../connectors/connector';
import { FILTER_DIMENSIONS, type CheckSummary, type FilterDimension, type FilterOptions } from '../connect.types';
import { filterValueLabel } from '../../integrations/management.labels';
import { ATTRIBUTE_LABELS_DE, hasText, t, type Lang, type TextKey } from './i18n';
import { html, layout, raw, type Raw } from './layout';

export interface PageContext {
  lang: Lang;
  toolLabel: string;
  basePath: string;
  linkType: 'EMBEDDED' | 'MAGIC_LINK';
  token: string;
  organization: string;
  relink: boolean;
  /** A fresh CSRF token for the forms of this page. */
  csrf: string;
}

function page(ctx: Pick<PageContext, 'lang' | 'toolLabel' | 'basePath'> & { linkType: PageContext['linkType'] | null }, body: Raw): string {
  return layout({ lang: ctx.lang, title: t(ctx.lang, 'title', { tool: ctx.toolLabel }), basePath: ctx.basePath, linkType: ctx.linkType, closeLabel: t(ctx.lang, 'close'), noscript: t(ctx.lang, 'noscript'), body });
}

const action = (ctx: PageContext, step: string) => `${ctx.basePath}/connect/${ctx.token}/${step}`;
const csrfField = (ctx: PageContext) => html`<input type="hidden" name="csrf" value="${ctx.csrf}">`;

function attributeLabel(lang: Lang, key: string): string {
  const a = REQUIRED_ATTRIBUTES.find((x) => x.key === key);
  return (lang === 'de' ? ATTRIBUTE_LABELS_DE[key] : undefined) ?? a?.label ?? key;
}

/** A missing item in the page's language (the connector's words are English). */
function missingText(lang: Lang, m: MissingItem): string {
  if (m.kind === 'attribute') {
    const why = REQUIRED_ATTRIBUTES.find((x) => x.key === m.key)?.why ?? '';
    return t(lang, 'missingAttribute', { label: attributeLabel(lang, m.key), why });
  }
  const known = `perm:${m.key}` as TextKey;
  if (hasText(known)) return t(lang, known);
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

function guide(lang: Lang): Raw {
  return html`<details class="guide" open><summary>${t(lang, 'guideTitle')}</summary><ol>
<li>${t(lang, 'guide1')}</li><li>${t(lang, 'guide2')}</li><li>${t(lang, 'guide3')}</li><li>${t(lang, 'guide4')}</li>
<li>${t(lang, 'guide5')}<ul class="attributes">${REQUIRED_ATTRIBUTES.map((a) => html`<li>${attributeLabel(lang, a.key)}</li>`)}</ul></li>
<li>${t(lang, 'guide6')}</li></ol></details>`;
}

export interface CredentialsView {
  check: CheckSummary | null;
  /** Sealed credentials exist for this link: the secret may be left empty. */
  hasSavedCredentials: boolean;
  /** Messages above the form (validation, rate limit, CSRF). */
  errors: string[];
}

/** Step 1: what is read and why, the Personio guide, and the credential form (plus the last test's findings). */
export function credentialsPage(ctx: PageContext, view: CredentialsView): string {
  const { lang } = ctx;
  const check = view.check;
  const errors = [...view.errors];
  if (check?.error) errors.push(t(lang, check.error.kind === 'AUTH' ? 'auth' : check.error.kind === 'PERMISSION' ? 'permission' : 'unreachable'));
  const missing = check && !check.error ? check.missing : [];
  // Findings come first: after a test the customer must see them without scrolling.
  const body = html`${errors.length ? html`<div class="alert error" role="alert" id="errors">${errors.map((e) => html`<p>${e}</p>`)}</div>` : ''}
${missing.length ? html`<div class="alert warning" role="alert" id="missing"><p><strong>${t(lang, 'missingTitle')}</strong></p>
<ul>${missing.map((m) => html`<li data-key="${m.key}">${missingText(lang, m)}</li>`)}</ul><p>${t(lang, 'missingHint')}</p></div>` : ''}
${intro(ctx)}${guide(lang)}
<form method="post" action="${action(ctx, 'test')}" autocomplete="off" id="credentials">
${csrfField(ctx)}
<label for="client_id">${t(lang, 'clientId')}</label>
<input id="client_id" name="client_id" type="text" spellcheck="false" autocapitalize="off" value="${check?.clientId ?? ''}" maxlength="200">
<label for="client_secret">${t(lang, 'clientSecret')}</label>
<input id="client_secret" name="client_secret" type="password" spellcheck="false" autocomplete="new-password" maxlength="500" value="">
${view.hasSavedCredentials ? html`<p class="hint" id="secret-kept">${t(lang, 'secretKept')}</p>` : ''}
<button type="submit" id="test-button">${view.hasSavedCredentials && missing.length ? t(lang, 'testAgain') : t(lang, 'test')}</button>
</form>`;
  return page(ctx, body);
}

/** Step 2: the connection works; optional filter step; finish. */
export function verifiedPage(ctx: PageContext, view: { check: CheckSummary; filters: FilterOptions | null; selected?: Partial<Record<FilterDimension, string[]>>; errors: string[] }): string {
  const { lang } = ctx;
  const body = html`<div class="alert success" id="verified"><p><strong>${t(lang, 'okTitle')}</strong></p></div>
${view.check.warnings.length ? html`<div class="alert warning" id="warnings"><p>${t(lang, 'warningsTitle')}</p><ul>${view.check.warnings.map((m) => html`<li data-key="${m.key}">${missingText(lang, m)}</li>`)}</ul></div>` : ''}
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
${FILTER_DIMENSIONS.map((dim) => html`<fieldset data-dimension="${dim}"><legend>${t(lang, dim)}</legend>
${options[dim].length ? labelled(lang, dim, options[dim]).map((o) => html`<label class="check"><input type="checkbox" name="${dim}" value="${o.id}"${selected[dim]?.includes(o.id) ? raw(' checked') : ''}> ${optionLabel(lang, dim, o)}</label>`) : html`<p class="hint">${t(lang, 'filterNone')}</p>`}
</fieldset>`)}
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
export function statusPage(o: { lang: Lang; toolLabel: string; basePath: string; linkType: PageContext['linkType'] | null; title: string; text: string; id: string }): string {
  return page(o, html`<section class="status" id="${o.id}"><h1>${o.title}</h1><p>${o.text}</p></section>`);
}
