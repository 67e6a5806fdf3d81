// Lighthouse's accessibility category on the paper page (the richest one: formulas, links,
// charts, similar papers), at its mobile settings, scores at least 95. Its audits inspect
// the page, not its timing, so a loaded machine slows the test but does not change the
// score. The other pages and desktop are in `npm run bench:lighthouse`. Skipped, with the
// reason, when no Chromium binary is installed.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { ServerType } from '@hono/node-server';
import { CHROMIUM } from './support/chromium.js';
import { digestWorld, type World } from './support/digest-world.js';
import { serveOnLoopback } from './support/loopback.js';

const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`;

let world: World;
let server: ServerType;

before(async () => {
  if (skip) return;
  world = await digestWorld({ now: new Date('2026-06-30T12:00:00Z') });
  ({ server } = await serveOnLoopback(world.app.fetch));
});
after(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await world?.close();
});

test('Lighthouse accessibility is at least 95 on the paper page', { skip, timeout: 90_000 }, async () => {
  const [{ launch }, { default: lighthouse }] = await Promise.all([import('chrome-launcher'), import('lighthouse')]);
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/papers/2606.90001`;
    const result = await lighthouse(url, { port: chrome.port, logLevel: 'error', onlyCategories: ['accessibility'] });
    assert.ok(result && !result.lhr.runtimeError, `Lighthouse failed: ${result?.lhr.runtimeError?.message}`);
    const { categories, audits } = result.lhr;
    const failing = (categories.accessibility?.auditRefs ?? [])
      .filter((r) => r.weight > 0 && (audits[r.id]?.score ?? 1) < 1)
      .map((r) => `${r.id}: ${audits[r.id]?.title}`);
    const score = Math.round((categories.accessibility?.score ?? 0) * 100);
    assert.ok(score >= 95, `accessibility ${score}; failing audits:\n${failing.join('\n')}`);
  } finally {
    chrome.kill();
  }
});
