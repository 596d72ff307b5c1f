import type { Lang } from './i18n';
import { SHARED_STYLESHEET } from '../../common/page-assets';
import { html, type Raw } from '../../common/html';

export interface LayoutOptions {
  lang: Lang;
  title: string;
  basePath: string;
  /** EMBEDDED pages show a close button when framed and post messages to the parent. */
  linkType: 'EMBEDDED' | 'MAGIC_LINK' | null;
  closeLabel: string;
  noscript?: string;
  body: Raw;
}

/** The page shell: no inline script or style, so the CSP can stay `default-src 'none'`. */
export function layout(o: LayoutOptions): string {
  return html`<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${o.title}</title>
<link rel="stylesheet" href="${o.basePath}/connect/assets/${SHARED_STYLESHEET}">
<link rel="stylesheet" href="${o.basePath}/connect/assets/connect.css">
<script src="${o.basePath}/connect/assets/connect.js" defer></script>
</head>
<body data-link-type="${o.linkType ?? ''}">
<div class="card">
<header><span class="brand">${o.title}</span>${o.linkType === 'EMBEDDED' ? html`<button type="button" id="close-button" class="link" hidden>${o.closeLabel} ✕</button>` : ''}</header>
${o.noscript && o.linkType === 'EMBEDDED' ? html`<noscript><p class="hint">${o.noscript}</p></noscript>` : ''}
${o.body}
</div>
</body>
</html>
`.html;
}

/**
 * Security headers of every hosted page: a strict CSP (scripts and styles only from
 * this origin, forms post only here, framing only by the configured LMS origins),
 * no caching (pages carry CSRF tokens and activation tokens), no referrer to other sites.
 */
export function pageHeaders(frameAncestors: string[]): Record<string, string> {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors.join(' ')}`,
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'Cache-Control': 'no-store',
    // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on the
    // page's own form posts; the token in the URL still never leaves for another site.
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Content-Type': 'text/html; charset=utf-8',
  };
}
