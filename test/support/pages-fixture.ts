// A small collection for page and browser tests: a few days of papers (enough to page
// through), one with formulas and signals, and one whose every field is hostile.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { emptyRecord, type PaperRecord, type Signal } from '../../src/papers/paper.js';
import { createSearchEngine } from '../../src/search/search.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createTrending } from '../../src/trending/index.js';
import { createApp } from '../../src/web/app.js';

export const XSS = '<script>alert(1)</script>';
export const LATEST_DAY = '2026-06-30';
const TOPICS = ['graph neural networks', 'diffusion models', 'reinforcement learning', 'language models', 'robot grasping'];

export function fixturePapers(): { papers: PaperRecord[]; signals: Signal[] } {
  const papers: PaperRecord[] = [];
  // 30 papers on the latest day (more than one page), then 3 a day for the 5 days before.
  const days = [LATEST_DAY, '2026-06-29', '2026-06-26', '2026-06-25', '2026-06-24', '2026-06-23'];
  let n = 1;
  for (const [i, day] of days.entries()) {
    for (let k = 0; k < (i === 0 ? 30 : 3); k++, n++) {
      const topic = TOPICS[n % TOPICS.length]!;
      papers.push({
        ...emptyRecord(`2606.${String(n).padStart(5, '0')}`, `Scalable ${topic} study number ${n}`,
          `We study ${topic} at scale. Our method improves accuracy on several benchmarks while using less compute. `.repeat(4)),
        authors: [{ name: `Ada Lovelace` }, { name: `Author ${n}` }], categories: [n % 2 ? 'cs.LG' : 'cs.CL', 'cs.AI'],
        announcedAt: day, submittedAt: `${day}T10:00:00Z`, versions: [{ version: 1, submittedAt: `${day}T10:00:00Z`, size: '120kb' }],
      });
    }
  }
  papers.push({
    ...emptyRecord('2606.90001', 'Bounds on $O(n \\log n)$ sorting with $\\alpha$-approximations',
      'We prove that $\\sum_{i=1}^n x_i \\le \\sqrt{n}$ and that $<img src=x onerror=alert(1)>$ is harmless. Also $\\href{javascript:alert(1)}{click}$.'),
    authors: [{ name: 'Grace Hopper' }], categories: ['cs.DS'], announcedAt: LATEST_DAY, comment: '12 pages, 3 figures',
    journalRef: 'J. Algorithms 1 (2026)', doi: '10.1000/xyz123', submittedAt: `${LATEST_DAY}T09:00:00Z`,
    versions: [{ version: 1, submittedAt: '2026-06-28T09:00:00Z' }, { version: 2, submittedAt: '2026-06-30T09:00:00Z' }],
  });
  papers.push({
    ...emptyRecord('2606.99999', `Hostile ${XSS} title "quoted" & more`, `Abstract with <img src=x onerror=alert(1)> and ${XSS} inside.`),
    authors: [{ name: `Eve <b onmouseover=alert(1)>Hacker</b>` }], categories: ['cs.CR'], announcedAt: '2026-06-29',
    comment: `<iframe src="javascript:alert(1)">`, doi: `10.1/"><script>alert(3)</script>`,
  });
  const signals: Signal[] = [1, 2, 3, 4].map((d) => ({
    paperId: '2606.90001', kind: 'upvotes', source: 'hf-daily', observedAt: `2026-06-2${5 + d}T00:00:00Z`, value: d * 5,
  }));
  return { papers, signals };
}

/** A real SQLite store in a temporary directory holding the fixture, and the app over it (trending scored as of `now`). */
export async function fixtureApp(now?: () => Date) {
  const store = openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'paperboy-pages-')), 'pages.db'));
  await store.migrate();
  await store.ingest(fixturePapers());
  const trending = createTrending(store, DEFAULT_CONFIG.trending, { clock: now });
  const app = createApp({ store, search: createSearchEngine(store, { trending }), logger: silentLogger });
  return { store, app, trending };
}
