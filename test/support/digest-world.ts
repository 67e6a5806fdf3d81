// Everything the subscription and digest tests need, real: a SQLite file holding the
// page fixture's papers (one with formulas, one with hostile fields) and their signals,
// the configuration as `loadConfig` builds it, the web app, trending, search, the
// digest service, and a mailer pointed at a loopback SMTP server (or .eml files). The
// clock is fixed and moved by the test.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config, type ConfigOverrides } from '../../src/config.js';
import { createDigestService } from '../../src/digest/run.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { openMailer } from '../../src/mail/open-mailer.js';
import type { Signal } from '../../src/papers/paper.js';
import { createSearchEngine } from '../../src/search/search.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createLinks } from '../../src/subscriptions/links.js';
import { createSubscriptions } from '../../src/subscriptions/service.js';
import { createTrending } from '../../src/trending/index.js';
import { createApp } from '../../src/web/app.js';
import { fixturePapers } from './pages-fixture.js';

export const BASE_URL = 'https://papers.example.org';

/** Hugging Face upvotes that make the hostile paper and a formula paper trend on the fixture's last days. */
export function trendingSignals(): Signal[] {
  const s: Signal[] = [];
  for (const [paperId, values] of [['2606.99999', [40, 80, 120]], ['2606.90001', [10, 30, 60]], ['2606.00003', [5, 9, 20]]] as const) {
    values.forEach((value, i) => s.push({ paperId, kind: 'upvotes', source: 'hf-daily', observedAt: `2026-06-${28 + i}T12:00:00Z`, value }));
  }
  return s;
}

export interface WorldOptions {
  /** The SMTP URL; without one, mail goes to .eml files under dataDir/mail. */
  smtpUrl?: string;
  now: Date;
  config?: ConfigOverrides;
  /** Receives every log line (default: none). */
  log?: (line: string) => void;
}

export async function digestWorld(o: WorldOptions) {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-digest-'));
  const config: Config = loadConfig({
    cwd: dir, env: {},
    flags: deepMerge({
      dataDir: dir,
      database: path.join(dir, 'paperboy.db'),
      server: { baseUrl: BASE_URL },
      mail: { from: 'Paperboy <digest@papers.example.org>', rate: 0, concurrency: 2, ...(o.smtpUrl ? { smtp: { url: o.smtpUrl, timeoutMs: 5000 } } : {}) },
      digest: { retryBaseMs: 60_000, retryMaxMs: 3_600_000, subscribesPerHourPerIp: 1000 },
    }, o.config ?? {}),
  });
  const logger = o.log ? createLogger({ level: 'debug', format: 'json', write: o.log }) : silentLogger;
  const clock = { now: o.now };
  const now = () => new Date(clock.now);
  const store = openSqliteStore(config.database, { now });
  await store.migrate();
  const { papers, signals } = fixturePapers();
  await store.ingest({ papers, signals: [...signals, ...trendingSignals()] });
  const search = createSearchEngine(store);
  const trending = createTrending(store, config.trending, { clock: now });
  const mailer = openMailer(config);
  const links = createLinks(store, config);
  const subscriptions = createSubscriptions({ store, mailer, config, logger, now, noticeRetryMs: [50, 50] });
  const app = createApp({ store, search, logger, subscriptions });
  const digest = createDigestService({
    store, search, trending, mailer, config, logger, links, now, outbox: { jitter: () => 1 },
  });
  return {
    dir, config, clock, store, search, trending, mailer, links, subscriptions, app, digest,
    set(iso: string) {
      clock.now = new Date(iso);
    },
    async close() {
      await subscriptions.idle();
      await mailer.close();
      await store.close();
    },
  };
}

export type World = Awaited<ReturnType<typeof digestWorld>>;

/** A browser on this site: Fetch Metadata says same-origin, as a real form post would. */
export function formPost(app: World['app'], url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return app.request(url, {
    method: 'POST', body: new URLSearchParams(form),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', ...headers },
  });
}

/** The path and query of a link from an email, to request from the app. */
export function local(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): ConfigOverrides {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out as ConfigOverrides;
}
