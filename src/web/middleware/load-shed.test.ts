import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { loadShed } from './load-shed.js';

/** An app whose pages each take `workMs` of (simulated) rendering time; requests come as from a socket. */
function app(budgetMs: number, workMs = 20, socket = true) {
  let t = 0;
  const a = new Hono();
  const request = a.request.bind(a);
  if (socket) a.request = ((input: string, init?: RequestInit) => request(input, init, { incoming: {} })) as typeof a.request;
  a.use(loadShed({ budgetMs, now: () => t }));
  a.get('*', (c) => {
    t += workMs;
    return c.text('rendered');
  });
  a.post('*', (c) => {
    t += workMs;
    return c.text('posted');
  });
  return a;
}

test('requests read in one pass of the event loop are refused with 503 + Retry-After once the pass spent its budget', async () => {
  const a = app(50);
  // Started together, as requests read from many sockets in one poll phase are.
  const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => a.request(`/papers?q=${i}`)));
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 503, 503, 503], 'three renders fit in 50 ms of 20 ms pages');
  const refused = answers[3]!;
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.equal(refused.headers.get('cache-control'), 'no-store');
  assert.match(await refused.text(), /The server is busy; try again in 1 s/);
  const api = await Promise.all([a.request('/x'), a.request('/x'), a.request('/x'), a.request('/x'), a.request('/api/papers/search?q=a')]);
  assert.equal(api[4]!.status, 503);
  assert.equal((await api[4]!.json()).error.code, 'overloaded');
});

test('the next pass starts afresh, and its first request is always served', async () => {
  const a = app(10, 100);
  const first = await Promise.all([a.request('/a'), a.request('/b')]);
  assert.deepEqual(first.map((r) => r.status), [200, 503], 'one slow page uses up the pass');
  await new Promise((r) => setImmediate(r));
  const next = await Promise.all([a.request('/c'), a.request('/d')]);
  assert.deepEqual(next.map((r) => r.status), [200, 503]);
});

test('form posts, health checks, metrics, static files and in-process requests are never refused; 0 turns shedding off', async () => {
  const a = app(10, 100);
  const answers = await Promise.all([a.request('/a'), a.request('/subscribe', { method: 'POST' }), a.request('/healthz'), a.request('/metrics'), a.request('/static/style.css')]);
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200]);
  const inProcess = app(10, 100, false);
  assert.deepEqual((await Promise.all([inProcess.request('/a'), inProcess.request('/b'), inProcess.request('/c')])).map((r) => r.status), [200, 200, 200]);
  const off = app(0, 100);
  assert.deepEqual((await Promise.all([off.request('/a'), off.request('/b'), off.request('/c')])).map((r) => r.status), [200, 200, 200]);
});
