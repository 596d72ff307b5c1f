import type { RunPoint } from '../dashboard.queries';
import { html, Raw, when } from './layout';

const W = 760;
const H = 240;
const PAD = { left: 56, right: 56, top: 16, bottom: 36 };

/** A round axis maximum: 1, 2, 5 × 10^n at or above the data's maximum. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const fmt = (n: number) => (n >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1));

/**
 * Run durations (line, left axis) and records written (bars, right axis) over time,
 * as inline SVG rendered here: no chart library, no script, nothing the CSP must allow.
 * Presentation attributes only (a style attribute would need style-src 'unsafe-inline').
 */
export function runChart(points: RunPoint[]): Raw {
  if (points.length === 0) return html`<p class="empty" id="run-chart-empty">No finished runs in the last 30 days yet.</p>`;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const t0 = points[0].finished_at.getTime();
  const t1 = points[points.length - 1].finished_at.getTime();
  const span = Math.max(t1 - t0, 1);
  const x = (t: number) => PAD.left + (points.length === 1 ? plotW / 2 : ((t - t0) / span) * plotW);
  const maxDur = niceMax(Math.max(...points.map((p) => p.duration_seconds)));
  const maxRec = niceMax(Math.max(...points.map((p) => p.records)));
  const yDur = (v: number) => PAD.top + plotH - (v / maxDur) * plotH;
  const yRec = (v: number) => PAD.top + plotH - (v / maxRec) * plotH;
  const barW = Math.max(2, Math.min(14, plotW / points.length - 2));
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.finished_at.getTime()).toFixed(1)},${yDur(p.duration_seconds).toFixed(1)}`).join(' ');
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return html`<figure class="chart"><svg id="run-chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="run-chart-title" xmlns="http://www.w3.org/2000/svg">
<title id="run-chart-title">Run duration and records written per sync run, ${points.length} runs from ${when(points[0].finished_at)} to ${when(points[points.length - 1].finished_at)}</title>
${ticks.map(
  (f) => html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH * (1 - f)}" y2="${PAD.top + plotH * (1 - f)}" stroke="#e2e8f0"/>
<text x="${PAD.left - 6}" y="${PAD.top + plotH * (1 - f) + 4}" text-anchor="end" font-size="11" fill="#2563eb">${fmt(maxDur * f)}</text>
<text x="${W - PAD.right + 6}" y="${PAD.top + plotH * (1 - f) + 4}" font-size="11" fill="#059669">${fmt(maxRec * f)}</text>`,
)}
${points.map((p) => html`<rect class="bar" x="${(x(p.finished_at.getTime()) - barW / 2).toFixed(1)}" y="${yRec(p.records).toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - yRec(p.records)).toFixed(1)}" fill="${p.status === 'SUCCEEDED' ? '#a7f3d0' : '#fecaca'}"><title>${when(p.finished_at)}: ${p.records} records, ${p.duration_seconds.toFixed(1)} s, ${p.status}</title></rect>`)}
<path d="${line}" fill="none" stroke="#2563eb" stroke-width="2"/>
${points.map((p) => html`<circle class="point" cx="${x(p.finished_at.getTime()).toFixed(1)}" cy="${yDur(p.duration_seconds).toFixed(1)}" r="3" fill="#2563eb"/>`)}
<text x="${PAD.left}" y="${H - 8}" font-size="11" fill="#475569">${when(points[0].finished_at)}</text>
<text x="${W - PAD.right}" y="${H - 8}" font-size="11" fill="#475569" text-anchor="end">${when(points[points.length - 1].finished_at)}</text>
</svg>
<figcaption><span class="key duration">Duration (s, left)</span> <span class="key records">Records created + updated + deleted (right)</span></figcaption></figure>`;
}
