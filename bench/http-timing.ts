// Timing probe for subscribing: does a new address take longer to answer than a known
// one? `paperboy serve` runs in its own process on a fresh database with N confirmed
// subscribers, sending through a loopback SMTP server; one client posts the subscribe
// form for new and known addresses in interleaved pairs (the order alternating, a pause
// after each so the server's background work is done) and compares the medians.
//   npx tsx bench/http-timing.ts [--pairs N] [--root DIR]   (--root: another checkout to measure)

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const pairs = Number(flag('--pairs', '300'));
const root = path.resolve(flag('--root', path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')));
const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-timing-'));
const db = path.join(dir, 'paperboy.db');

// A sink that accepts everything: the probe measures the site, not a mail server.
const smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], onData: (s, _session, done) => { s.resume(); s.on('end', () => done()); } });
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpPort = (smtp.server.address() as { port: number }).port;

const run = (cmd: string[]) => new Promise<void>((resolve, reject) => {
  const c = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--db', db, '--data-dir', dir, '--log-level', 'warn', ...cmd], { cwd: root, stdio: 'inherit' });
  c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd.join(' ')} exited ${code}`))));
});
await run(['migrate']);
// Known addresses, confirmed, written straight into the table the CLI's `add --confirmed` fills.
const csv = path.join(dir, 'known.csv');
writeFileSync(csv, 'email\n' + Array.from({ length: pairs }, (_, i) => `known${i}@example.org`).join('\n') + '\n');
await run(['subscribers', 'import', csv, '--confirmed']);
const written = openSqliteStore(db, { readonly: true });
const known = (await written.subscriptionStats()).subscribers.active;
await written.close();

const configFile = path.join(dir, 'config.json');
writeFileSync(configFile, JSON.stringify({ digest: { subscribesPerHourPerIp: 1_000_000 }, mail: { from: 'Paperboy <digest@papers.example.org>' } }));
const port = 20_000 + Math.floor(Math.random() * 20_000);
const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--config', configFile, '--db', db, '--data-dir', dir, '--log-level', 'warn',
  'serve', '--port', String(port), '--no-harvest', '--no-signals', '--no-digest'],
{ cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, PAPERBOY_RATE_LIMIT: '0', PAPERBOY_POST_RATE_LIMIT: '0', PAPERBOY_SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
const exited = new Promise((resolve) => server.once('exit', resolve));

const post = async (email: string) => {
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/subscribe`, { method: 'POST', body: new URLSearchParams({ email }), headers: { 'Sec-Fetch-Site': 'same-origin' } });
  await res.text();
  if (res.status !== 200) throw new Error(`status ${res.status} for ${email}`);
  const ms = performance.now() - started;
  await sleep(10);
  return ms;
};

try {
  for (let tries = 0; !(await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok; tries++) {
    if (tries > 300 || server.exitCode !== null) throw new Error('the server did not start');
    await sleep(100);
  }
  for (let i = 0; i < 30; i++) await post(`warm${i}@example.org`);
  const times = { fresh: [] as number[], known: [] as number[] };
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 ? [`fresh${i}`, `known${i}`] : [`known${i}`, `fresh${i}`];
    for (const name of order) times[name.startsWith('fresh') ? 'fresh' : 'known'].push(await post(`${name}@example.org`));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const m = { fresh: median(times.fresh), known: median(times.known) };
  process.stdout.write(`${pairs} interleaved pairs (${known} known addresses): median new ${m.fresh.toFixed(3)} ms, known ${m.known.toFixed(3)} ms, difference ${(m.fresh - m.known).toFixed(3)} ms\n`);
} finally {
  server.kill('SIGTERM');
  await exited;
  smtp.close();
}
