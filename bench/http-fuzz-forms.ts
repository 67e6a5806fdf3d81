// Fuzz probe for the form routes: hand-written malformed multipart bodies plus seeded
// random corruptions (bytes flipped, bodies cut) of a valid one, posted through a real
// HTTP server on loopback to /subscribe, /manage, /subscribe/confirm and the upvote
// routes; prints how many answers each status got. A 5xx is a bug.
//   npx tsx bench/http-fuzz-forms.ts [--cases N] [--root DIR]   (--root: another checkout to probe)

import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const cases = Number(flag('--cases', '1000'));
const root = path.resolve(flag('--root', path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')));
const load = (p: string) => import(pathToFileURL(path.join(root, p)).href);
const { digestWorld } = await load('test/support/digest-world.ts');
const { createApp } = await load('src/web/app.ts');
const { silentLogger } = await load('src/logger.ts');

const w = await digestWorld({ now: new Date('2026-06-30T05:00:00Z'), config: { digest: { subscribesPerHourPerIp: 1_000_000 } } });
const app = createApp({ store: w.store, search: w.search, logger: silentLogger, subscriptions: w.subscriptions, http: { rateLimit: { perMinute: 0, postsPerMinute: 0 } } });
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
await new Promise<void>((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const ROUTES = ['/subscribe', '/manage', '/subscribe/confirm', '/papers/2606.00003/upvote', '/papers/2606.00003/upvote/undo'];
const part = (name: string, value: string) => `--XyZ\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const valid = Buffer.from(part('email', 'fuzz@example.org') + part('topics', 'robots') + part('t', 'x') + '--XyZ--\r\n');
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const statuses = new Map<number, number>();
try {
  for (let i = 0; i < cases; i++) {
    const body = Buffer.from(valid);
    for (let k = 0, n = 1 + Math.floor(rand() * 4); k < n; k++) body[Math.floor(rand() * body.length)] = Math.floor(rand() * 256);
    const cut = rand() < 0.5 ? body.subarray(0, Math.floor(rand() * body.length)) : body;
    const type = rand() < 0.1 ? 'multipart/form-data' : 'multipart/form-data; boundary=XyZ';
    const res = await fetch(base + ROUTES[i % ROUTES.length]!, { method: 'POST', redirect: 'manual', body: new Uint8Array(cut), headers: { 'Content-Type': type, 'Sec-Fetch-Site': 'same-origin' } });
    await res.arrayBuffer();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
} finally {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await w.close();
}
const errors = [...statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
process.stdout.write(`${cases} fuzzed form posts over ${ROUTES.length} routes: ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ')}; server errors: ${errors}\n`);
