// A saturated server answers every request within a bounded wait: pages are rendered in
// arrival order while they can start within `server.shedAfterMs`, and the rest get a 503
// with Retry-After rather than hanging until the client gives up. Real HTTP on loopback,
// one connection per client, pages that block the event loop as rendering does.

import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { Hono } from 'hono';
import { loadShed } from '../src/web/middleware/load-shed.js';
import { serveOnLoopback } from './support/loopback.js';

const PAGE_MS = 30;
const MAX_WAIT_MS = 150;
const CLIENTS = 24;

/** GET on the client's own kept-alive connection. */
function get(agent: http.Agent, port: number, path: string): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer in 10 s`))).on('error', reject);
  });
}

/** Synchronous work, as a page rendered from SQLite and the search index is. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

test('beyond the bound, a saturated server answers 503 with Retry-After at once instead of hanging; pages it renders started within the bound, in arrival order', async () => {
  const arrivals = new Map<string, number>();
  const rendered: { path: string; waitedMs: number }[] = [];
  const app = new Hono();
  app.use(async (c, next) => {
    arrivals.set(c.req.path, performance.now());
    await next();
  });
  app.use(loadShed({ maxWaitMs: MAX_WAIT_MS }));
  app.get('/healthz', (c) => c.text('ok'));
  app.get('/papers/:n', (c) => {
    rendered.push({ path: c.req.path, waitedMs: performance.now() - arrivals.get(c.req.path)! });
    busy(PAGE_MS);
    return c.text('a page');
  });
  const { server, port } = await serveOnLoopback(app.fetch);
  // Every client on its own connection, opened first (the server accepts one connection a
  // turn), then all asking at once: far more pages than fit in the bound.
  const agents = Array.from({ length: CLIENTS }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  try {
    await Promise.all(agents.map((a) => get(a, port, '/healthz')));
    const answers = await Promise.all(agents.map((a, i) => get(a, port, `/papers/${i}`)));
    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 503);
    assert.equal(served.length + refused.length, CLIENTS, `only 200 or 503: ${answers.map((a) => a.status).join(' ')}`);
    assert.ok(served.length >= 1 && refused.length >= 1, `some served, some refused: ${served.length} / ${refused.length}`);
    for (const r of refused) {
      assert.ok(Number(r.retryAfter) >= 1, `Retry-After on every refusal (got ${String(r.retryAfter)})`);
      assert.match(r.body, /busy; try again/);
    }
    // The bound: no page started later than the wait allowed (plus the page that may be
    // running when it expires, and slack for a machine busy with other work).
    for (const p of rendered) assert.ok(p.waitedMs <= MAX_WAIT_MS + PAGE_MS + 250, `${p.path} waited ${p.waitedMs.toFixed(0)} ms`);
    assert.equal(rendered.length, served.length, 'no page rendered for a client that was refused');
    // Fair: pages were rendered in the order their requests arrived.
    const order = rendered.map((p) => arrivals.get(p.path)!);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));

    // Once the burst is over, the server renders again at once.
    assert.equal((await get(agents[0]!, port, '/papers/after')).status, 200);
  } finally {
    for (const a of agents) a.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
