import { html, raw, Raw } from '../../common/html';
import { SHARED_STYLESHEET } from '../../common/page-assets';

export { esc, html, raw, Raw } from '../../common/html';

/** What every signed-in page needs from the session (never the session id itself). */
export interface PageContext {
  environmentName: string;
  environmentId: string;
  isAdmin: boolean;
  csrf: string;
  /** Admins switch between these. */
  environments: { id: string; name: string }[];
}

export type Tab = 'integrations' | 'webhooks' | 'connect';

const TABS: { id: Tab; label: string; href: string }[] = [
  { id: 'integrations', label: 'Integrations', href: '/dashboard/integrations' },
  { id: 'webhooks', label: 'Webhook deliveries', href: '/dashboard/webhooks' },
  { id: 'connect', label: 'Connect links', href: '/dashboard/connect' },
];

/** A hidden CSRF field; every POST form carries one. */
export const csrfField = (ctx: { csrf: string }) => html`<input type="hidden" name="csrf" value="${ctx.csrf}">`;

/** A one-button POST form (actions are forms, so they work without the script too). */
export function actionButton(ctx: PageContext, action: string, label: string, fields: Record<string, string> = {}, cls = ''): Raw {
  return html`<form method="post" action="${action}" class="inline">${csrfField(ctx)}${Object.entries(fields).map(
    ([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`,
  )}<button type="submit" class="${cls}">${label}</button></form>`;
}

export function notice(kind: 'success' | 'error' | 'info', text: string | null | undefined): Raw {
  return text ? html`<div class="alert ${kind}" role="${kind === 'error' ? 'alert' : 'status'}" id="notice">${text}</div>` : raw('');
}

function shell(title: string, header: Raw, body: Raw): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${title} · HRIS Gateway</title>
<link rel="stylesheet" href="/dashboard/assets/${SHARED_STYLESHEET}">
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/dashboard.js" defer></script>
</head>
<body>
${header}
<main>
${body}
</main>
</body>
</html>
`.html;
}

export function page(ctx: PageContext, tab: Tab | null, title: string, body: Raw): string {
  const envSwitch = ctx.isAdmin
    ? html`<form method="post" action="/dashboard/environment" class="inline env-switch">${csrfField(ctx)}
<label for="environment_id">Environment</label>
<select name="environment_id" id="environment_id" data-autosubmit>${ctx.environments.map(
        (e) => html`<option value="${e.id}"${e.id === ctx.environmentId ? raw(' selected') : ''}>${e.name}</option>`,
      )}</select><button type="submit" class="secondary small" data-hide-with-js>Switch</button></form>`
    : html`<span class="env">Environment <strong>${ctx.environmentName}</strong></span>`;
  const header = html`<header class="top">
<a class="brand" href="/dashboard/integrations">HRIS Gateway</a>
<nav>${TABS.map((t) => html`<a href="${t.href}"${t.id === tab ? raw(' aria-current="page"') : ''}>${t.label}</a>`)}</nav>
<div class="who">${envSwitch}${ctx.isAdmin ? html`<span class="badge">admin</span>` : ''}
<form method="post" action="/dashboard/sign-out" class="inline">${csrfField(ctx)}<button type="submit" class="link" id="sign-out">Sign out</button></form></div>
</header>`;
  return shell(title, header, html`<h1>${title}</h1>\n${body}`);
}

export function signInPage(csrf: string, adminEnabled: boolean, error: string | null): string {
  const body = html`<div class="card narrow">
<h1>Sign in</h1>
<p class="hint">Use an API key of the environment to manage${adminEnabled ? ', or the admin password (every environment)' : ''}.</p>
${notice('error', error)}
<form method="post" action="/dashboard/sign-in" id="sign-in-form">
<input type="hidden" name="csrf" value="${csrf}">
<label for="secret">${adminEnabled ? 'API key or admin password' : 'API key'}</label>
<input type="password" name="secret" id="secret" autocomplete="current-password" required autofocus>
<button type="submit" id="sign-in">Sign in</button>
</form>
</div>`;
  return shell('Sign in', html`<header class="top"><span class="brand">HRIS Gateway</span></header>`, body);
}

/** A page for an action that could not be done, with the reason and a way back. */
export function problemPage(ctx: PageContext | null, title: string, message: string, back: string): string {
  const body = html`${notice('error', message)}<p><a href="${back}">Back</a></p>`;
  return ctx ? page(ctx, null, title, body) : shell(title, raw(''), html`<h1>${title}</h1>${body}`);
}

/** 2025-05-01 12:00 UTC, or an em dash. */
export function when(d: Date | string | null | undefined): string {
  if (!d) return '—';
  return new Date(d).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** "in 3 min", "2 h ago". */
export function relative(d: Date | string | null | undefined, now = Date.now()): string {
  if (!d) return '';
  const s = Math.round((new Date(d).getTime() - now) / 1000);
  const a = Math.abs(s);
  if (a < 5) return 'just now'; // also hides small clock differences between the database and this process
  const span = a < 60 ? `${a} s` : a < 3600 ? `${Math.round(a / 60)} min` : a < 172_800 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86_400)} d`;
  return s >= 0 ? `in ${span}` : `${span} ago`;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
