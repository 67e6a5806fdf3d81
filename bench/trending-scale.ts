// Trending at arXiv's full size: a synthetic store of N papers (default 2,700,000, about
// 820 a day over nine years, i.e. ~25,000 a month like arXiv) with Hugging Face-like
// signals on 3% of them, written through store.ingest in batches of 50,000 (a title, no
// abstract or authors: trending reads none of them). Measures the first feature
// computation and the time to rank a day, a week, a month (also of one category), a year
// and every date: first call, again in the same minute, and in the next minute
// (re-scored), then a digest-like loop of many rankings.
//   npm run bench:trending -- --scale [N]

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../src/config.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { refreshTrendingFeatures } from '../src/trending/refresh-features.js';
import { addDays } from '../src/days.js';
import { createTrending } from '../src/trending/index.js';
import type { PaperRecord, Signal } from '../src/papers/paper.js';

const say = (msg: string) => process.stdout.write(`${msg}\n`);
const CATEGORIES = ['cs.LG', 'cs.CV', 'cs.CL', 'cs.AI', 'math.CO', 'hep-th', 'astro-ph.GA', 'quant-ph', 'cond-mat.str-el', 'stat.ML',
  'math.AP', 'physics.optics', 'cs.RO', 'eess.SP', 'q-bio.NC', 'econ.EM', 'gr-qc', 'nucl-th', 'math.PR', 'cs.CR'];
const FIRST_DAY = '2017-07-01';

export async function runScale(papers: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-trending-scale-'));
  const file = path.join(dir, 'scale.db');
  const store = openSqliteStore(file);
  try {
    await store.migrate();
    const days = Math.round(papers / 820);
    const lastDay = addDays(FIRST_DAY, days - 1);
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let t0 = performance.now();
    let signals = 0;
    const write = async (from: number, to: number) => {
      const batch: PaperRecord[] = [];
      const observed: Signal[] = [];
      const signal = (paperId: string, kind: Signal['kind'], observedAt: string, value: number) => observed.push({ paperId, kind, source: 'hf-daily', observedAt, value });
      for (let i = from; i < to; i++) {
        const id = `s${String(i).padStart(8, '0')}`;
        const day = addDays(FIRST_DAY, Math.floor((i / papers) * days));
        // Zipf-like: a few big categories, a long tail.
        const primary = CATEGORIES[Math.min(CATEGORIES.length - 1, Math.floor(CATEGORIES.length * rand() ** 2))]!;
        const cross = rand() < 0.4 ? CATEGORIES[Math.floor(rand() * CATEGORIES.length)]! : null;
        batch.push({
          id, title: 'Synthetic paper', abstract: '', authors: [], categories: cross && cross !== primary ? [primary, cross] : [primary],
          comment: null, journalRef: null, doi: null, license: null, versions: [], submittedAt: null, announcedAt: day, updatedAt: null,
        });
        if (rand() < 0.03) {
          const ups = Math.floor(2 ** (rand() * 8));
          signal(id, 'upvotes', `${day}T20:00:00Z`, ups);
          if (rand() < 0.5) signal(id, 'upvotes', `${addDays(day, 1)}T20:00:00Z`, ups * 2);
          if (rand() < 0.3) signal(id, 'github_stars', `${day}T20:00:00Z`, Math.floor(2 ** (rand() * 12)));
        }
      }
      signals += (await store.ingest({ papers: batch, signals: observed })).signalsAdded;
    };
    for (let i = 0; i < papers; i += 50_000) await write(i, Math.min(papers, i + 50_000));
    say(`\nAt scale: ${papers.toLocaleString('en-US')} synthetic papers (${FIRST_DAY} … ${lastDay}, ~820 a day), ${signals.toLocaleString('en-US')} signals on 3% of them; written in ${((performance.now() - t0) / 1000).toFixed(0)} s, ${(statSync(file).size / 1e9).toFixed(2)} GB`);
    t0 = performance.now();
    await refreshTrendingFeatures(store, { momentumHalfLifeHours: DEFAULT_CONFIG.trending.momentum.halfLifeHours, momentumAfterDays: DEFAULT_CONFIG.trending.momentum.afterDays });
    say(`  first feature computation (every paper with signals): ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const trending = createTrending(store, DEFAULT_CONFIG.trending);
    const now = new Date(`${lastDay}T20:00:00Z`);
    const windows: [string, { from: string; to: string; category?: string }][] = [
      ['day', { from: lastDay, to: lastDay }], ['week', { from: addDays(lastDay, -6), to: lastDay }],
      ['month', { from: addDays(lastDay, -29), to: lastDay }], ['month, cs.LG', { from: addDays(lastDay, -29), to: lastDay, category: 'cs.LG' }],
      ['year', { from: addDays(lastDay, -364), to: lastDay }], ['every date', { from: '1000-01-01', to: lastDay }],
    ];
    say('  window          papers   first call   same minute   next minute (re-score)   page 40');
    for (const [name, w] of windows) {
      const time = async (at: Date, offset = 0) => { const s = performance.now(); const r = await trending.rank({ ...w, limit: 25, offset, now: at }); return { ms: performance.now() - s, total: r.total }; };
      const cold = await time(now);
      const warm = await time(now);
      const next = await time(new Date(now.getTime() + 60_000));
      const deep = await time(new Date(now.getTime() + 60_000), 975);
      say(`  ${name.padEnd(14)} ${String(cold.total).padStart(9)}   ${cold.ms.toFixed(1).padStart(7)} ms   ${warm.ms.toFixed(2).padStart(8)} ms   ${next.ms.toFixed(1).padStart(8)} ms   ${deep.ms.toFixed(1).padStart(14)} ms`);
    }
    // A digest run: per subscriber the day, one of 20 categories, or 200 search hits of the day.
    const day = { from: addDays(lastDay, -1), to: lastDay };
    const dayIds = (await store.unscoredInWindow(day, 5000)).map((u) => u.paperId);
    t0 = performance.now();
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const kind = i % 3;
      if (kind === 0) await trending.rank({ ...day, limit: 30, now });
      else if (kind === 1) await trending.rank({ ...day, category: CATEGORIES[i % CATEGORIES.length], limit: 30, now });
      else await trending.rank({ ...day, paperIds: dayIds.slice((i * 37) % 4000, (i * 37) % 4000 + 200), limit: 30, now });
    }
    say(`  digest-like loop: ${runs} rankings (day, a category, or 200 ids) in ${((performance.now() - t0) / 1000).toFixed(2)} s (${((performance.now() - t0) / runs).toFixed(2)} ms each)`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
