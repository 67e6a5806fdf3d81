// `serve --port N` as an operator runs it: the confirmation email a visitor gets links to
// port N, where the server listens (it used to link to the configured port, 8080).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

function emlFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml')).map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

test('serve --port N: links in emails point at port N', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-port-'));
  const port = await freePort();
  const env = { ...process.env, PORT: '8080', PAPERBOY_BASE_URL: '', PAPERBOY_SMTP_URL: '', SMTP_URL: '' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dir, '--log-format', 'json',
    'serve', '--port', String(port), '--no-harvest', '--no-signals'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  try {
    for (let i = 0; i < 300 && !log.includes('Paperboy is serving'); i++) await sleep(100);
    assert.match(log, /Paperboy is serving/);
    const res = await fetch(`http://127.0.0.1:${port}/subscribe`, {
      method: 'POST', body: new URLSearchParams({ email: 'reader@example.org' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
    });
    assert.ok(res.status < 400, `subscribe: ${res.status}`);
    const mailDir = path.join(dir, 'mail');
    for (let i = 0; i < 100 && emlFiles(mailDir).length === 0; i++) await sleep(100);
    const [eml] = emlFiles(mailDir);
    assert.ok(eml, `no confirmation email written; log:\n${log}`);
    const text = readFileSync(eml, 'utf8').replace(/=\r?\n/g, '');
    assert.match(text, new RegExp(`http://127\\.0\\.0\\.1:${port}/subscribe/confirm`), 'the link uses the port the server listens on');
    assert.doesNotMatch(text, /:8080\//);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
});
