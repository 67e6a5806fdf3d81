// The polite HTTP client against a real local server: spacing, serialisation, retries
// (503/429 with Retry-After, 5xx, dropped connections, timeouts) and clear failures.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { PaperboyError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createPoliteHttpClient, parseRetryAfter } from './polite-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end('ok');
const server = createServer((req, res) => handler(req, res));
let base = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

/** Serves the given behaviours in turn (the last one repeats), counting requests. */
function script(...steps: Handler[]): { count: () => number } {
  let n = 0;
  handler = (req, res) => steps[Math.min(n++, steps.length - 1)]!(req, res);
  return { count: () => n };
}
const ok: Handler = (_req, res) => res.end('<ok/>');
const status = (code: number, headers: Record<string, string> = {}): Handler => (_req, res) => { res.writeHead(code, headers); res.end('busy'); };

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: (ms: number) => { waits.push(ms); return new Promise<void>((r) => setTimeout(r, Math.min(ms, 20))); } };
}

describe('polite HTTP client', () => {
  test('requests are spaced by minIntervalMs and never concurrent', async (t) => {
    // Starts are measured where the client calls fetch: the in-process server sees them
    // later by a varying amount when the machine is busy.
    const starts: number[] = [];
    const realFetch = globalThis.fetch;
    t.mock.method(globalThis, 'fetch', (...args: Parameters<typeof fetch>) => {
      starts.push(performance.now());
      return realFetch(...args);
    });
    let inFlight = 0;
    let maxInFlight = 0;
    handler = (_req, res) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      setTimeout(() => { inFlight--; res.end('ok'); }, 15);
    };
    const http = createPoliteHttpClient({ minIntervalMs: 100 });
    const bodies = await Promise.all([1, 2, 3, 4].map((i) => http.get(`${base}/x?i=${i}`).then((r) => r.body)));
    assert.deepEqual(bodies, ['ok', 'ok', 'ok', 'ok']);
    assert.equal(maxInFlight, 1);
    assert.equal(starts.length, 4);
    // The client spaces starts on its own clock, a few statements before fetch is entered;
    // a GC pause in between on a busy machine shifts one start, hence the margin. Without
    // spacing the gaps would be ~15 ms (the server's answer time).
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 80, `gap ${starts[i]! - starts[i - 1]!} ms`);
  });

  test('503 and 429 honour Retry-After (seconds and HTTP-date), capped', async () => {
    const { waits, sleep } = recordingSleep();
    const lines: string[] = [];
    const s = script(status(503, { 'Retry-After': '1' }), status(429, { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() }), ok);
    const http = createPoliteHttpClient({ minIntervalMs: 0, maxRetryAfterMs: 5000, sleep, logger: createLogger({ write: (l) => lines.push(l) }) });
    const res = await http.get(`${base}/busy`);
    assert.equal(res.status, 200);
    assert.equal(s.count(), 3);
    assert.equal(waits[0], 1000);
    assert.equal(waits[1], 5000, 'an HTTP-date 30 s away is capped by maxRetryAfterMs');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /WARN .*retrying.*reason="HTTP 503 Service Unavailable".*waitMs=1000/);
  });

  test('every retry is logged with its wait, not only the first of a run of the same failure', async () => {
    const { sleep } = recordingSleep();
    const lines: string[] = [];
    script(status(503), status(503), status(503), ok);
    const http = createPoliteHttpClient({ minIntervalMs: 0, sleep, logger: createLogger({ write: (l) => lines.push(l) }) });
    assert.equal((await http.get(`${base}/busy`)).status, 200);
    assert.equal(lines.length, 3, lines.join('\n'));
    lines.forEach((l, i) => assert.match(l, new RegExp(`WARN +request failed, retrying in [\\d.]+ m?s \\(retry ${i + 1} of 6\\)`), l));
  });

  test('a host name that does not resolve fails at once, saying so, instead of retrying for minutes', async () => {
    const { waits, sleep } = recordingSleep();
    const http = createPoliteHttpClient({ minIntervalMs: 0, maxRetries: 6, sleep });
    const started = Date.now();
    // .invalid never resolves (RFC 2606); offline machines answer the same way for every name.
    await assert.rejects(http.get('http://paperboy-test.invalid/oai'), (e: unknown) =>
      e instanceof PaperboyError && e.code === 'upstream_unavailable' && /does not resolve/.test(e.message) && /paperboy-test\.invalid/.test(e.message));
    assert.deepEqual(waits, [], 'no retry');
    assert.ok(Date.now() - started < 10_000);
  });

  test('other 5xx, a dropped connection and a timeout are retried with backoff', async () => {
    const { waits, sleep } = recordingSleep();
    const drop: Handler = (req) => req.socket.destroy();
    const stall: Handler = (_req, res) => setTimeout(() => res.end('late'), 500);
    const s = script(status(500), drop, stall, ok);
    const http = createPoliteHttpClient({ minIntervalMs: 0, timeoutMs: 100, sleep });
    assert.equal((await http.get(`${base}/flaky`)).body, '<ok/>');
    assert.equal(s.count(), 4);
    assert.equal(waits.length, 3);
    assert.ok(waits[0]! >= 100 && waits[1]! >= 200 && waits[2]! >= 400, `exponential: ${waits.join(', ')}`);
  });

  test('a 404 fails at once with upstream_protocol naming the URL', async () => {
    const s = script((_req, res) => { res.writeHead(404, { 'Content-Type': 'text/html' }); res.end('<h1>No such page</h1>'); });
    const http = createPoliteHttpClient({ minIntervalMs: 0 });
    await assert.rejects(http.get(`${base}/missing`), (e: unknown) => e instanceof PaperboyError && e.code === 'upstream_protocol' &&
      e.message === `GET ${base}/missing failed: HTTP 404 Not Found (No such page)`);
    assert.equal(s.count(), 1);
  });

  test('exhausted retries fail with upstream_unavailable and the reason; the next request still runs', async () => {
    const { sleep } = recordingSleep();
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const http = createPoliteHttpClient({ minIntervalMs: 0, maxRetries: 2, sleep });
    await assert.rejects(http.get(`http://127.0.0.1:${port}/oai`), (e: unknown) => e instanceof PaperboyError &&
      e.code === 'upstream_unavailable' && new RegExp(`unavailable after 2 retries: connect ECONNREFUSED 127.0.0.1:${port}$`).test(e.message));
    script(ok);
    assert.equal((await http.get(`${base}/fine`)).status, 200);
  });

  test('parseRetryAfter', () => {
    assert.equal(parseRetryAfter('7'), 7000);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10_000);
    assert.equal(parseRetryAfter('soon'), null);
    assert.equal(parseRetryAfter(null), null);
  });
});
