// A small SVG line chart per kind of signal (upvotes, stars, …) over time: static
// markup, so it needs no script, with a text description for screen readers.

import { html } from 'hono/html';
import type { Signal, SignalKind } from '../../papers/paper.js';
import { formatDay } from './dates.js';
import type { Html } from './layout.js';

const LABEL: Record<SignalKind, string> = { upvotes: 'Upvotes', comments: 'Comments', github_stars: 'GitHub stars', views: 'Views' };
const W = 280;
const H = 90;
const PAD = { left: 8, right: 8, top: 10, bottom: 20 };

export function signalCharts(signals: Signal[]): Html {
  const byKind = new Map<SignalKind, Signal[]>();
  for (const s of signals) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
  if (!byKind.size) return html``;
  return html`<section aria-labelledby="signals-title"><h2 id="signals-title">Signals over time</h2>
<div class="charts">${[...byKind].map(([kind, list]) => chart(LABEL[kind] ?? kind, list))}</div></section>`;
}

function chart(label: string, list: Signal[]): Html {
  const points = [...list].sort((a, b) => a.observedAt.localeCompare(b.observedAt)).map((s) => ({ t: Date.parse(s.observedAt), v: s.value }));
  const t0 = points[0]!.t;
  const t1 = points[points.length - 1]!.t;
  const max = Math.max(1, ...points.map((p) => p.v));
  const x = (t: number) => PAD.left + (t1 === t0 ? (W - PAD.left - PAD.right) / 2 : ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const coords = points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`);
  const first = formatDay(new Date(t0).toISOString().slice(0, 10));
  const last = formatDay(new Date(t1).toISOString().slice(0, 10));
  const latest = points[points.length - 1]!.v;
  const summary = `${label}: ${latest} on ${last}${points.length > 1 ? `, from ${points[0]!.v} on ${first}` : ''} (${points.length} observations).`;
  return html`<figure class="chart"><figcaption>${label}: <strong>${latest}</strong></figcaption>
<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${summary}">
  <line class="axis" x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}"/>
  ${points.length > 1 ? html`<polyline class="line" points="${coords.join(' ')}"/>` : ''}
  ${coords.map((c) => { const [cx, cy] = c.split(','); return html`<circle class="dot" cx="${cx}" cy="${cy}" r="3"/>`; })}
  <text x="${PAD.left}" y="${H - 5}">${first}</text>
  ${points.length > 1 ? html`<text x="${W - PAD.right}" y="${H - 5}" text-anchor="end">${last}</text>` : ''}
</svg></figure>`;
}
