// The personal pages in a real browser (Debian's Chromium via playwright-core): a
// feedback link opened with JavaScript off — the button records, the answer says what
// changes, undo takes it back — then the library page's import refusing a bad file line
// by line; axe-core (WCAG 2.x A/AA) on every page at desktop and phone widths, nothing
// wider than the screen; screenshots in test-artifacts/personal/ for a person to look at.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { digestWorld, local, type World } from './support/digest-world.js';
import { CHROMIUM, launchChromium } from './support/chromium.js';
import { serveOnLoopback } from './support/loopback.js';

const ARTIFACTS = 'test-artifacts/personal';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BAD_BIB = '@article{a, title = {Fine}}\n@article{b title = {No comma}}\n';

describe('personal pages in a browser', { skip }, () => {
  let world: World;
  let server: ServerType;
  let browser: Browser;
  let base = '';
  let feedbackUrl = '';
  let manageUrl = '';

  before(async () => {
    const now = new Date('2026-06-30T12:00:00Z');
    world = await digestWorld({ now });
    await world.subscriptions.add('reader@example.org', { topics: [], categories: ['cs.LG'], topicMode: 'only', sendHour: 7, timeZone: 'UTC', frequency: 'daily', weekday: 1 }, { confirmed: true, consent: 'operator-add' });
    const s = (await world.store.findSubscriber('reader@example.org'))!;
    feedbackUrl = local((await world.links.feedbackSigner())(s.id, '2606.00005', 'more', '2026-06-30', now));
    manageUrl = local(await world.links.manageUrl(s, now));
    ({ server, base } = await serveOnLoopback(world.app.fetch));
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await world?.close();
  });

  test('with JavaScript off: confirm, what changes, undo; a bad import is refused line by line', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(base + feedbackUrl);
    assert.equal(await page.locator('h1').textContent(), 'More papers like this one?');
    const s = (await world.store.findSubscriber('reader@example.org'))!;
    assert.equal((await world.store.personalProfiles([s.id])).has(s.id), false, 'opening the page recorded nothing');
    await page.getByRole('button', { name: 'Yes, more like this' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Noted: more like this');
    assert.match(await page.getByRole('status').textContent() ?? '', /rank higher/);
    await page.screenshot({ path: `${ARTIFACTS}/feedback-done-390.png`, fullPage: true });
    assert.deepEqual((await world.store.personalProfiles([s.id])).get(s.id)!.feedback.map((f) => f.kind), ['more']);
    await page.getByRole('button', { name: 'Undo' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Undone');
    assert.deepEqual((await world.store.personalProfiles([s.id])).get(s.id)?.feedback ?? [], []);

    await page.getByRole('link', { name: 'Your library' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Your library');
    await page.getByLabel('Or paste its text').fill(BAD_BIB);
    await page.getByRole('button', { name: 'Import' }).click();
    assert.match(await page.getByRole('alert').textContent() ?? '', /Nothing was imported[\s\S]*Line 2: expected “,” after the key “b”/);
    await page.screenshot({ path: `${ARTIFACTS}/library-errors-390.png`, fullPage: true });
    await context.close();
  });

  for (const width of [1280, 390]) {
    test(`axe finds no violations at ${width} px, and nothing is wider than the screen`, { timeout: 120_000 }, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: 'light' });
      const page = await context.newPage();
      const problems: string[] = [];
      const check = async (name: string, p: Page) => {
        await p.screenshot({ path: `${ARTIFACTS}/${name}-${width}.png`, fullPage: true });
        await p.evaluate(AXE);
        const result = await p.evaluate(async () => (globalThis as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<unknown> } }).axe
          .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })) as { violations: { id: string; help: string; nodes: { target: string[] }[] }[] };
        for (const v of result.violations) problems.push(`${name} @${width}: ${v.id} ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
        const wide = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (wide > 0) problems.push(`${name} @${width}: ${wide} px wider than the screen`);
      };
      await page.goto(base + feedbackUrl);
      await check('feedback-confirm', page);
      await page.goto(base + manageUrl);
      await check('manage', page);
      await page.goto(`${base}/papers/2606.00005`);
      assert.match(await page.content(), /For your digest/);
      await check('paper-reader', page);
      // Saved by the other width's run, or not yet: the same button either way.
      await page.locator('button[value="save"]').click();
      await page.goto(`${base}/library`);
      await check('library', page);
      await page.getByLabel('Or paste its text').fill(BAD_BIB);
      await page.getByRole('button', { name: 'Import' }).click();
      await check('library-errors', page);
      await context.close();
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }
});
