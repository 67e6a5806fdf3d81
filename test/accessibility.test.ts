// Accessibility in a real browser: axe-core (WCAG 2.x A and AA rules) run by Debian's
// Chromium through playwright-core on the home, search, paper, category, author,
// subscribe and manage pages, at desktop (1280 px) and phone (390 px) widths, with
// screenshots of each in test-artifacts/ for a person to look at; nothing may overflow
// the phone's width. Skipped, with the reason, when no Chromium binary is installed.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { digestWorld, type World } from './support/digest-world.js';
import { CHROMIUM, launchChromium } from './support/chromium.js';
import { serveOnLoopback } from './support/loopback.js';

const ARTIFACTS = 'test-artifacts/a11y';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult { violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] }[] }

describe('accessibility', { skip }, () => {
  let world: World;
  let server: ServerType;
  let browser: Browser;
  let base = '';
  const pages: [string, string][] = [];

  before(async () => {
    world = await digestWorld({ now: new Date('2026-06-30T12:00:00Z') });
    await world.store.saveRepoLinks([{ paperId: '2606.90001', repo: 'grace/sorting', source: 'hf-daily' }]);
    await world.store.saveExtras([{ paperId: '2606.90001', source: 'hf-daily', aiSummary: 'Sorting bounds, approximately.', aiKeywords: ['sorting', 'approximation'], projectPage: 'https://sorting.example/' }]);
    await world.subscriptions.add('reader@example.org', { topics: ['graph neural networks', 'diffusion models'], categories: ['cs.LG'], topicMode: 'only', sendHour: 7, timeZone: 'Europe/Paris', frequency: 'daily', weekday: 1 }, { confirmed: true, consent: 'operator-add' });
    const manage = new URL(await world.links.manageUrl((await world.store.findSubscriber('reader@example.org'))!, new Date('2026-06-30T12:00:00Z')));
    ({ server, base } = await serveOnLoopback(world.app.fetch));
    pages.push(
      ['home', '/'], ['search', '/papers?q=graph+neural+networks'], ['paper', '/papers/2606.90001'], ['category', '/c/cs.LG'],
      ['author', '/authors/Ada%20Lovelace'], ['subscribe', '/subscribe'], ['manage', manage.pathname + manage.search],
      ['typo', '/papers?q=nueral'],
    );
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await world?.close();
  });

  for (const width of [1280, 390]) {
    test(`axe finds no violations at ${width} px, and nothing is wider than the screen`, { timeout: 120_000 }, async () => {
      const problems: string[] = [];
      for (const [name, path] of pages) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: 'light' });
        const page = await context.newPage();
        const res = await page.goto(base + path);
        assert.ok(res && res.status() < 400, `${name}: ${res?.status()}`);
        // The subscribe box with its options open: the widest it gets.
        await page.evaluate(() => document.querySelectorAll('details.subscribe-options').forEach((d) => d.setAttribute('open', '')));
        await page.screenshot({ path: `${ARTIFACTS}/${name}-${width}.png`, fullPage: true });
        const spill = await page.evaluate(() => {
          const out: string[] = [];
          for (const box of document.querySelectorAll('.subscribe')) {
            const b = box.getBoundingClientRect();
            const right = b.right - parseFloat(getComputedStyle(box).borderRightWidth) - parseFloat(getComputedStyle(box).paddingRight);
            for (const el of box.querySelectorAll('*')) {
              const r = el.getBoundingClientRect();
              if (r.width > 0 && r.right > right + 0.5) out.push(`${el.tagName.toLowerCase()} ends at ${Math.round(r.right)} px, the box's content at ${Math.round(right)} px`);
            }
          }
          return out.slice(0, 3);
        });
        for (const x of spill) problems.push(`${name} @${width}: the subscribe form spills out of its box: ${x}`);
        if (name === 'manage') {
          const lines = await page.evaluate(() => {
            const help = document.querySelector('fieldset label')!.firstElementChild as HTMLElement;
            return Math.round(help.getBoundingClientRect().height / parseFloat(getComputedStyle(help).lineHeight));
          });
          if (lines > (width > 800 ? 2 : 4)) problems.push(`manage @${width}: the topic help takes ${lines} lines`);
        }
        // The CSP forbids inline script on the site, but an injected script tag from the test is fine through evaluate.
        await page.evaluate(AXE);
        const result = await page.evaluate(async () => {
          const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe;
          return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
        }) as AxeResult;
        for (const v of result.violations) {
          problems.push(`${name} @${width}: ${v.id} (${v.impact}) ${v.help}\n${v.nodes.slice(0, 3).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(0, 2).join(' ')}`).join('\n')}`);
        }
        const overflow = await page.evaluate(() => {
          const wide: string[] = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > document.documentElement.clientWidth + 1) wide.push(`${el.tagName.toLowerCase()}.${(el as HTMLElement).className}`);
          }
          return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, wide: wide.slice(0, 5) };
        });
        if (overflow.scroll > overflow.client) problems.push(`${name} @${width}: page is ${overflow.scroll} px wide in a ${overflow.client} px screen (${overflow.wide.join(', ')})`);
        await context.close();
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }
});
