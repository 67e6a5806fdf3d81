import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { loadShed, type LoadShedOptions } from './load-shed.js';

/** An app whose pages each take `workMs` of (simulated) rendering time; requests come as from a socket. */
function app(o: Partial<LoadShedOptions> & { workMs?: number; socket?: boolean } = {}) {
  const clock = { t: 0 };
  const rendered: string[] = [];
  const a = new Hono();
  const request = a.request.bind(a);
  if (o.socket !== false) a.request = ((input: string, init?: RequestInit) => request(input, init, { incoming: {} })) as typeof a.request;
  a.use(loadShed({ maxWaitMs: 1000, sliceMs: 10, ...o, now: () => clock.t }));
  const render = (c: { req: { path: string }; text: (s: string) => Response }) => {
    clock.t += o.workMs ?? 20;
    rendered.push(c.req.path);
    return c.text('rendered');
  };
  a.get('*', render);
  a.post('*', render);
  return { a, clock, rendered };
}

const paths = (n: number) => Array.from({ length: n }, (_, i) => `/papers/${i}`);

test('beyond one turn\'s slice, pages wait and are rendered in arrival order, one turn after another', async () => {
  const { a, rendered } = app({ workMs: 20 });
  // Started together, as requests read from many sockets in one turn of the event loop are.
  const answers = await Promise.all(paths(6).map((p) => a.request(p)));
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
  assert.deepEqual(rendered, paths(6), 'first come, first served');
});

test('a page still waiting after maxWaitMs gets 503 with Retry-After, and a later turn serves again', async () => {
  const { a, clock, rendered } = app({ workMs: 100, maxWaitMs: 150 });
  const answers = await Promise.all(paths(5).map((p) => a.request(p)));
  // Each page takes 100 ms, so one a turn. The others were read after the first page: the
  // second waited 0 ms, the third 100 ms, the fourth would start after 200 ms.
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 503, 503]);
  assert.deepEqual(rendered, paths(3), 'no page is rendered for a request already answered 503');
  const refused = answers[3]!;
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  assert.equal(refused.headers.get('cache-control'), 'no-store');
  assert.match(await refused.text(), /The server is busy; try again in \d+ s/);
  clock.t += 1000;
  assert.equal((await a.request('/later')).status, 200);
  const api = await Promise.all([a.request('/a'), a.request('/b'), a.request('/c'), a.request('/api/papers/search?q=a')]);
  assert.equal(api[3]!.status, 503);
  assert.equal((await api[3]!.json()).error.code, 'overloaded');
});

test('form posts, health checks, metrics, static files, exempt pages and in-process requests never wait; 0 turns it off', async () => {
  const { a } = app({ workMs: 100, maxWaitMs: 50, exempt: (c) => c.req.path === '/cached' });
  const answers = await Promise.all(['/subscribe', '/healthz', '/metrics', '/static/style.css', '/cached', '/a', '/b', '/c'].map((p) => a.request(p, { method: p === '/subscribe' ? 'POST' : 'GET' })));
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 200, 200, 200, 503], 'only the last page waited too long');
  const inProcess = app({ workMs: 100, maxWaitMs: 50, socket: false });
  assert.deepEqual((await Promise.all(paths(3).map((p) => inProcess.a.request(p)))).map((r) => r.status), [200, 200, 200]);
  const off = app({ workMs: 100, maxWaitMs: 0 });
  assert.deepEqual((await Promise.all(paths(3).map((p) => off.a.request(p)))).map((r) => r.status), [200, 200, 200]);
});
