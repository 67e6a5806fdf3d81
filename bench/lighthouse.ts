// Lighthouse's accessibility, best-practices and SEO scores (not performance: on a shared
// 2-core machine its timings are noise) for the pages a reader sees: home, search, paper,
// category, author, subscribe and a subscriber's manage page, at Lighthouse's desktop and
// mobile settings. `paperboy serve` runs on a loopback port over a small database (the
// page tests' fixture, with one confirmed subscriber so the manage link is a real signed
// one), and Lighthouse drives Debian's Chromium through chrome-launcher. Every audit
// that fails is listed under the table, so a score below 100 says why.
//   npm run bench:lighthouse

import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { CHROMIUM } from '../test/support/chromium.js';
import { digestWorld } from '../test/support/digest-world.js';
import { startServer } from './http-server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CATEGORIES = ['accessibility', 'best-practices', 'seo'] as const;

/** The fixture's database with what the pages show when filled: links, a summary, a subscriber. */
async function smallDb(): Promise<{ db: string; managePath: string }> {
  const world = await digestWorld({ now: new Date() });
  await world.store.saveRepoLinks([{ paperId: '2606.90001', repo: 'grace/sorting', source: 'hf-daily' }]);
  await world.store.saveExtras([{ paperId: '2606.90001', source: 'hf-daily', aiSummary: 'Sorting bounds, approximately.', aiKeywords: ['sorting', 'approximation'], projectPage: 'https://sorting.example/' }]);
  await world.subscriptions.add('reader@example.org', { topics: ['graph neural networks', 'diffusion models'], categories: ['cs.LG'], topicMode: 'only', sendHour: 7, timeZone: 'Europe/Paris', frequency: 'daily', weekday: 1 }, { confirmed: true, consent: 'operator-add' });
  // Signed with the site secret kept in the database, so the server started on it accepts it.
  const manage = new URL(await world.links.manageUrl((await world.store.findSubscriber('reader@example.org'))!, new Date()));
  await world.close();
  return { db: world.config.database, managePath: manage.pathname + manage.search };
}

export async function run(): Promise<void> {
  const out = path.join(repoRoot, '.tmp', 'bench-lighthouse');
  mkdirSync(out, { recursive: true });
  const { db, managePath } = await smallDb();
  const pages: [string, string][] = [
    ['home', '/'], ['search', '/papers?q=graph+neural+networks'], ['paper', '/papers/2606.90001'], ['category', '/c/cs.LG'],
    ['author', '/authors/Ada%20Lovelace'], ['subscribe', '/subscribe'], ['manage', managePath],
  ];
  const server = await startServer(repoRoot, db, path.join(out, 'server.log'));
  const chrome = await launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const rows: string[] = [];
  const failed: string[] = [];
  let browserName = '';
  try {
    for (const formFactor of ['desktop', 'mobile'] as const) {
      for (const [name, url] of pages) {
        const result = await lighthouse(server.url + url, { port: chrome.port, logLevel: 'error', onlyCategories: [...CATEGORIES] }, formFactor === 'desktop' ? desktopConfig : undefined);
        if (!result) throw new Error(`Lighthouse gave no result for ${name}`);
        const { categories, audits, runtimeError, environment, lighthouseVersion } = result.lhr;
        browserName ||= `Lighthouse ${lighthouseVersion}, ${environment.hostUserAgent.match(/(HeadlessChrome|Chrome)\/[\d.]+/)?.[0] ?? environment.hostUserAgent}`;
        if (runtimeError) throw new Error(`${name} (${formFactor}): ${runtimeError.code} ${runtimeError.message}`);
        const score = (id: string) => { const s = categories[id]?.score; return s == null ? '–' : String(Math.round(s * 100)); };
        rows.push(`| ${name} | ${formFactor} | ${CATEGORIES.map(score).join(' | ')} |`);
        for (const id of CATEGORIES) {
          for (const ref of categories[id]?.auditRefs ?? []) {
            const a = audits[ref.id];
            if (ref.weight > 0 && a && a.score !== null && a.score < 1) failed.push(`- ${name} (${formFactor}), ${id}: ${a.id}: ${a.title}`);
          }
        }
      }
    }
  } finally {
    chrome.kill();
    await server.stop();
  }
  process.stdout.write([
    `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${browserName}`,
    '',
    `| page | form factor | ${CATEGORIES.join(' | ')} |`,
    `|---|---|${CATEGORIES.map(() => '---').join('|')}|`,
    ...rows,
    '',
    failed.length ? `audits that failed:\n${failed.join('\n')}` : 'no audit failed',
  ].join('\n') + '\n');
}
