// The site in a real browser (Debian's Chromium via playwright-core) against the real
// HTTP server: search, open a paper, upvote without a reload, page through, and use it
// with the keyboard alone. Screenshots land in test-artifacts/ for a human to look at.
// Skipped, with the reason, when no Chromium binary is installed.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { fixtureApp } from './support/pages-fixture.js';
import { CHROMIUM, launchChromium } from './support/chromium.js';
import { serveOnLoopback } from './support/loopback.js';

const ARTIFACTS = 'test-artifacts';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`;

describe('in a browser', { skip }, () => {
  let server: ServerType;
  let browser: Browser;
  let base = '';
  const problems: string[] = [];

  before(async () => {
    const { app } = await fixtureApp();
    ({ server, base } = await serveOnLoopback(app.fetch));
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A fresh visitor; console errors (CSP violations, failed loads) are collected as problems. */
  async function open(path: string, opts: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: opts.javaScriptEnabled ?? true, viewport: { width: opts.width ?? 1200, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    page.on('response', (r) => { if (r.status() === 404) problems.push(`404 for ${r.url()}`); });
    await page.goto(base + path);
    return page;
  }

  test('search from the home page, page through the results and open a paper', async () => {
    const page = await open('/');
    await page.screenshot({ path: `${ARTIFACTS}/home.png` });
    await page.fill('input[name=q]', 'study');
    await page.press('input[name=q]', 'Enter');
    await page.waitForURL(/\/papers\?q=study/);
    assert.equal(await page.locator('article.paper').count(), 25);
    await page.screenshot({ path: `${ARTIFACTS}/search.png` });
    await page.click('a[rel=next]');
    await page.waitForURL(/p=2/);
    assert.ok(await page.locator('article.paper').count() > 0);
    await page.click('a[rel=prev]');
    await page.waitForURL((u) => !u.search.includes('p=2'));
    const first = page.locator('article.paper h2 a').first();
    const title = await first.innerText();
    await first.click();
    await page.waitForURL(/\/papers\/\d{4}\.\d{5}$/);
    assert.equal(await page.locator('h1').innerText(), title);
    await page.context().close();
  });

  test('upvoting updates the count without reloading, and undo works', async () => {
    const page = await open('/papers/2606.90001');
    assert.ok(await page.locator('.katex').first().isVisible(), 'formulas are rendered');
    await page.screenshot({ path: `${ARTIFACTS}/paper.png`, fullPage: true });
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 1; });
    const button = page.locator('.actions form.upvote button');
    assert.equal(await button.locator('.count').innerText(), '20');
    await button.click();
    await page.waitForFunction(() => document.querySelector('.actions form.upvote button')?.getAttribute('aria-pressed') === 'true');
    assert.equal(await button.locator('.count').innerText(), '21');
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'no page reload');
    await button.click();
    await page.waitForFunction(() => document.querySelector('.actions form.upvote button')?.getAttribute('aria-pressed') === 'false');
    assert.equal(await button.locator('.count').innerText(), '20');
    await page.context().close();
  });

  test('without JavaScript the upvote form posts and comes back', async () => {
    const page = await open('/papers/2606.00005', { javaScriptEnabled: false });
    await page.click('.actions form.upvote button');
    await page.waitForURL(/\/papers\/2606\.00005$/);
    assert.equal(await page.locator('.actions form.upvote button').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('.actions form.upvote .count').innerText(), '1');
    await page.context().close();
  });

  test('keyboard only: Tab to the search box, type, Enter, then Tab to a result', async () => {
    const page = await open('/', { width: 420 });
    await page.screenshot({ path: `${ARTIFACTS}/home-narrow.png` });
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'q'; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'q', 'the search box is reachable by Tab');
    await page.keyboard.type('diffusion');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/papers\?q=diffusion/);
    let href: string | null = null;
    for (let i = 0; i < 40 && !href?.startsWith('/papers/'); i++) {
      await page.keyboard.press('Tab');
      href = await page.evaluate(() => document.activeElement?.getAttribute('href') ?? null);
    }
    assert.match(href ?? '', /^\/papers\/2606\./);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/papers\/2606\.\d+$/);
    await page.context().close();
  });

  test('no console errors or CSP violations on any page visited', () => {
    assert.deepEqual(problems, []);
  });
});
