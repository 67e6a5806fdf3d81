// Page weight and rendering in a real browser (Lighthouse's scores are bench:lighthouse's):
// `paperboy serve` on the 74,728-paper corpus, each page
// opened in Debian's Chromium (playwright-core) at desktop (1280 px) and phone (390 px)
// widths, cold (no cache), reporting bytes transferred, requests, DOMContentLoaded, load
// and first contentful paint, and axe-core's WCAG A/AA violations; screenshots go to
// .tmp/bench-pages/ for a person to look at.
//   npm run bench:pages

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/support/chromium.js';
import { corpusDb, startServer } from './http-server.js';
import { DATA } from './http.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const PAGES: [string, string][] = [
  ['home', '/'],
  ['search', '/papers?q=graph+neural+networks'],
  ['search, a typo', '/papers?q=replica+symetry'],
  ['search, no results', '/papers?q=symetry+quasicrystall'],
  ['paper', '/papers/2503.11731'],
  ['paper not held', '/papers/2401.00001'],
  ['category', '/c/cs.LG'],
];

export async function run(): Promise<void> {
  const db = await corpusDb(repoRoot, DATA);
  const out = path.join(repoRoot, '.tmp', 'bench-pages');
  mkdirSync(out, { recursive: true });
  // Fetching on request is on so the offer shows; nothing is clicked, so arXiv is never asked.
  process.env.PAPERBOY_FETCH_ON_REQUEST = 'true';
  const server = await startServer(repoRoot, db, path.join(out, 'server.log'));
  const browser = await launchChromium();
  const rows: string[] = [];
  try {
    for (const width of [1280, 390]) {
      for (const [name, url] of PAGES) {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        let bytes = 0;
        let requests = 0;
        page.on('requestfinished', (req) => {
          requests++;
          void req.sizes().then((s) => { bytes += s.responseBodySize + s.responseHeadersSize; }, () => {});
        });
        const res = await page.goto(server.url + url, { waitUntil: 'load' });
        await page.waitForTimeout(300);
        const timing = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          return { dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: fcp?.startTime ?? NaN, wide: document.documentElement.scrollWidth > window.innerWidth };
        });
        await page.evaluate(AXE);
        const axe = await page.evaluate(async () => {
          const r = await (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string }[] }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
          return r.violations.map((v) => v.id);
        });
        await page.screenshot({ path: path.join(out, `${name.replace(/\W+/g, '-')}-${width}.png`), fullPage: true });
        rows.push(`| ${name} | ${width} | ${res?.status()} | ${(bytes / 1024).toFixed(1)} kB | ${requests} | ${timing.fcp.toFixed(0)} ms | ${timing.dcl.toFixed(0)} ms | ${timing.load.toFixed(0)} ms | ${axe.length ? axe.join(', ') : 'none'} | ${timing.wide ? 'yes' : 'no'} |`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  process.stdout.write([
    `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; cold loads (no cache), loopback, accept-encoding as Chromium sends it`,
    '',
    '| page | width | status | transferred | requests | first contentful paint | DOMContentLoaded | load | axe violations | wider than the screen |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n') + '\n');
}
