// The form routes under hostile requests, through a real HTTP server on loopback over a
// real SQLite file: malformed multipart bodies (hand-written and fuzzed) get a 400 that
// says what is wrong, never a 500; an Origin must match the site's scheme, not only its
// host; behind a trusted proxy the vote and subscribe limits count the forwarded client,
// not the proxy.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { silentLogger } from '../src/logger.js';
import { createApp } from '../src/web/app.js';
import type { HttpOptions } from '../src/web/middleware/operations.js';
import { digestWorld, type World } from './support/digest-world.js';

let w: World;
before(async () => {
  w = await digestWorld({ now: new Date('2026-06-30T05:00:00Z'), config: { digest: { subscribesPerHourPerIp: 3 } } });
});
after(() => w.close());

/** A server for the world's store with these HTTP options; the general rate limit is off unless asked. */
async function server(http: Partial<HttpOptions> = {}) {
  const app = createApp({ store: w.store, search: w.search, logger: silentLogger, subscriptions: w.subscriptions,
    http: { rateLimit: { perMinute: 0, postsPerMinute: 0 }, ...http } });
  const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => s.once('listening', resolve));
  const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
}

const ROUTES = ['/subscribe', '/manage', '/subscribe/confirm', '/papers/2606.00003/upvote', '/papers/2606.00003/upvote/undo'];
const part = (name: string, value: string, boundary = 'XyZ') => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const MALFORMED: [string, string][] = [
  ['multipart/form-data', part('email', 'a@example.org') + '--XyZ--\r\n'], // no boundary parameter
  ['multipart/form-data; boundary=XyZ', 'not multipart at all'],
  ['multipart/form-data; boundary=XyZ', part('email', 'a@example.org')], // never closed
  ['multipart/form-data; boundary=XyZ', '--XyZ\r\nContent-Disposition: form-data; name="email"\r\na@example.org\r\n--XyZ--\r\n'], // no blank line
  ['multipart/form-data; boundary=Other', part('email', 'a@example.org') + '--XyZ--\r\n'], // another boundary
  ['multipart/form-data; boundary=XyZ', ''],
  ['multipart/form-data; boundary="unclosed', part('email', 'a@example.org') + '--XyZ--\r\n'],
];

async function post(base: string, path: string, contentType: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method: 'POST', redirect: 'manual', body: typeof body === 'string' ? body : new Uint8Array(body).buffer, headers: { 'Content-Type': contentType, 'Sec-Fetch-Site': 'same-origin', ...headers } });
  return { status: res.status, body: await res.text() };
}

describe('malformed form bodies', () => {
  test('every form route answers 400 with a clear message', async () => {
    const s = await server();
    try {
      for (const route of ROUTES) {
        for (const [type, body] of MALFORMED) {
          const r = await post(s.base, route, type, body);
          assert.equal(r.status, 400, `${route} ${type} ${JSON.stringify(body).slice(0, 60)}: ${r.body.slice(0, 200)}`);
          assert.match(r.body, /The form could not be read/, route);
        }
      }
      const json = await post(s.base, '/papers/2606.00003/upvote', MALFORMED[1]![0], MALFORMED[1]![1], { Accept: 'application/json' });
      assert.equal(json.status, 400);
      assert.equal(JSON.parse(json.body).error.code, 'bad_input');
      // One-click unsubscribes carry their token in the URL: an unreadable body is not a server error either.
      const unsub = await post(s.base, '/unsubscribe?t=nope', MALFORMED[1]![0], MALFORMED[1]![1]);
      assert.equal(unsub.status, 400);
      // A well-formed multipart body still works.
      const ok = await post(s.base, '/subscribe', 'multipart/form-data; boundary=XyZ', part('email', 'multipart@example.org') + '--XyZ--\r\n');
      assert.equal(ok.status, 200, ok.body);
    } finally {
      await s.close();
    }
  });

  test('fuzzed multipart bodies: no answer is a server error', async () => {
    const s = await server();
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const valid = Buffer.from(part('email', 'fuzz@example.org') + part('topics', 'robots') + part('csrf', 'x') + '--XyZ--\r\n');
    const statuses = new Map<number, number>();
    try {
      for (let i = 0; i < 150; i++) {
        const body = Buffer.from(valid);
        // Flip, cut or duplicate a few bytes: the boundary lines and headers are where parsers break.
        for (let k = 0, n = 1 + Math.floor(rand() * 4); k < n; k++) body[Math.floor(rand() * body.length)] = Math.floor(rand() * 256);
        const cut = rand() < 0.5 ? body.subarray(0, Math.floor(rand() * body.length)) : body;
        const r = await post(s.base, ROUTES[i % ROUTES.length]!, 'multipart/form-data; boundary=XyZ', cut);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        assert.ok(r.status < 500, `fuzz case ${i} on ${ROUTES[i % ROUTES.length]}: ${r.status}`);
      }
      assert.ok((statuses.get(400) ?? 0) > 0, `some bodies were unreadable: ${JSON.stringify([...statuses])}`);
    } finally {
      await s.close();
    }
  });
});

describe('origin and proxy', () => {
  test('an Origin with the right host but another scheme is refused', async () => {
    const s = await server();
    const host = new URL(s.base).host;
    const vote = (origin: string, headers: Record<string, string> = {}) => fetch(`${s.base}/papers/2606.00003/upvote`, { method: 'POST', redirect: 'manual', headers: { Origin: origin, ...headers } });
    try {
      assert.equal((await vote(`https://${host}`)).status, 403, 'https origin on the http site');
      assert.equal((await vote(`http://${host}`)).status, 303, 'the site itself');
    } finally {
      await s.close();
    }
    const proxied = await server({ trustProxy: true });
    try {
      const h = new URL(proxied.base).host;
      const res = await fetch(`${proxied.base}/papers/2606.00003/upvote`, { method: 'POST', redirect: 'manual', headers: { Origin: `https://${h}`, 'X-Forwarded-Proto': 'https' } });
      assert.equal(res.status, 303, 'behind a TLS proxy the browser saw https');
      assert.match(res.headers.get('set-cookie') ?? '', /Secure/i, 'and the cookie is Secure');
      const plain = await fetch(`${proxied.base}/papers/2606.00003/upvote`, { method: 'POST', redirect: 'manual', headers: { Origin: `http://${h}`, 'X-Forwarded-Proto': 'https' } });
      assert.equal(plain.status, 403);
    } finally {
      await proxied.close();
    }
  });

  test('behind a trusted proxy, vote and subscribe limits count each forwarded client', async () => {
    const s = await server({ trustProxy: true });
    const from = (ip: string) => ({ 'X-Forwarded-For': `203.0.113.77, ${ip}` });
    try {
      const vote = (ip: string) => post(s.base, '/papers/2606.00003/upvote', 'application/x-www-form-urlencoded', '', from(ip));
      // The bucket refills as time passes (a slow machine gets a vote or two back): vote until refused.
      let status = 0;
      for (let i = 0; i < 60 && status !== 429; i++) status = (await vote('10.1.0.1')).status;
      assert.equal(status, 429, 'one client past its votes a minute');
      assert.equal((await vote('10.1.0.2')).status, 303, 'another client behind the same proxy still votes');

      const subscribe = (ip: string, n: number) => post(s.base, '/subscribe', 'application/x-www-form-urlencoded', `email=proxy${n}%40example.org`, from(ip));
      for (let i = 0; i < 3; i++) assert.equal((await subscribe('10.2.0.1', i)).status, 200);
      assert.equal((await subscribe('10.2.0.1', 3)).status, 429);
      assert.equal((await subscribe('10.2.0.2', 4)).status, 200, 'another client is not limited by the first');
    } finally {
      await s.close();
    }
    // Without trustProxy the header is the client's word: it must not buy a fresh limit.
    const direct = await server();
    try {
      let status = 0;
      for (let i = 0; i < 60 && status !== 429; i++) status = (await post(direct.base, '/papers/2606.00001/upvote', 'application/x-www-form-urlencoded', '', { 'X-Forwarded-For': `10.3.0.${i}` })).status;
      assert.equal(status, 429);
    } finally {
      await direct.close();
    }
  });
});
