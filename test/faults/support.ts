// What the fault tests share: a database of confirmed subscribers built with the real
// subscription service, copies of it for independent trials, and the real `paperboy`
// command line run as a child process (so SQLite's locks are those of two processes,
// not two connections of one).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import type { OutboxRow } from '../../src/store/digest-store.js';
import type { Store } from '../../src/store/store.js';
import type { Received } from '../support/smtp.js';
import { digestWorld } from '../support/digest-world.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A number from the environment for measurements (e.g. FAULT_TRIALS=20), else the fast default. */
export function knob(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** A SQLite file with the page fixture's papers and `count` confirmed daily subscribers (readerN@example.org). */
export async function subscriberDb(count: number): Promise<string> {
  const w = await digestWorld({ now: new Date('2026-06-29T12:00:00Z') });
  for (let i = 0; i < count; i++) {
    const prefs = { topics: i % 3 === 0 ? ['language models'] : [], categories: [], topicMode: 'only' as const, sendHour: i % 24, timeZone: 'UTC', frequency: 'daily' as const, weekday: 1 };
    assert.equal(await w.subscriptions.add(`reader${i}@example.org`, prefs, { confirmed: true, consent: 'operator-import' }), 'added');
  }
  const db = w.config.database;
  await w.close();
  return db;
}

/** A fresh copy of a closed database (its WAL was checkpointed on close), for one trial. */
export function copyDb(db: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-fault-'));
  const copy = path.join(dir, 'paperboy.db');
  copyFileSync(db, copy);
  return copy;
}

export interface CliRun {
  child: ReturnType<typeof spawn>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

/** `paperboy ARGS…` on `db` as a child process, with extra environment variables. */
export function cli(db: string, args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', path.dirname(db), '--db', db, ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', PAPERBOY_BASE_URL: 'https://papers.example.org', PAPERBOY_MAIL_FROM: 'Paperboy <digest@papers.example.org>', ...env },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return { child, exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err }))) };
}

/** Messages per recipient and the distinct Message-IDs each got. */
export async function byRecipient(received: Received[]): Promise<Map<string, { count: number; ids: Set<string> }>> {
  const out = new Map<string, { count: number; ids: Set<string> }>();
  for (const m of received) {
    const id = (await simpleParser(m.raw)).messageId ?? '';
    for (const to of m.to) {
      const e = out.get(to) ?? { count: 0, ids: new Set<string>() };
      e.count++;
      e.ids.add(id);
      out.set(to, e);
    }
  }
  return out;
}

/** Every subscriber's outbox row for one digest date, through the Store interface. */
export async function outboxOf(store: Store, date: string): Promise<{ email: string; row: OutboxRow }[]> {
  const out: { email: string; row: OutboxRow }[] = [];
  for (let afterId = 0; ;) {
    const page = await store.listSubscribers({ afterId, limit: 500 });
    if (!page.length) return out;
    for (const s of page) {
      const row = await store.getDigest(s.id, date);
      if (row) out.push({ email: s.email, row });
    }
    afterId = page.at(-1)!.id;
  }
}
