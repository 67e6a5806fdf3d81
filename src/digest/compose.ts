// What goes into a digest: the most trending papers of the subscriber's window, kept to
// (or led by) their topics, each with a one-line reason. Topics go through search: a
// free-text query finds its papers in the window, which trending then ranks; categories
// are ranked directly. A subscriber's list is the merge of their topics' lists by score
// (scores do not depend on which list a paper is in), so each topic is searched and
// ranked once per run however many subscribers share it, and each combination of topics
// merged once: 100k subscribers cost a few thousand rankings, not 100k.

import { createHash } from 'node:crypto';
import { search, type SearchEngine } from '../search/search.js';
import type { EditionItem } from '../store/digest-store.js';
import type { TopicMode } from '../store/subscriber-store.js';
import { compareScored, type ScoreComponent, type Trending, type TrendingEntry } from '../trending/index.js';
import { addDays } from '../days.js';

export interface DigestWindow {
  /** First UTC announcement day, inclusive. */
  from: string;
  /** Last UTC announcement day, inclusive. */
  to: string;
}

export interface TopicChoice {
  topics: string[];
  categories: string[];
  topicMode: TopicMode;
}

export interface Candidates {
  /** Names the content: subscribers with the same candidates share one stored edition. */
  key: string;
  window: DigestWindow;
  items: EditionItem[];
}

export interface ComposerOptions {
  trending: Trending;
  search: SearchEngine;
  /** Papers per digest. */
  size: number;
  /** One scoring time for the whole run, so every subscriber sees the same scores. */
  now: Date;
}

export interface Composer {
  candidates(choice: TopicChoice, window: DigestWindow): Promise<Candidates>;
  /** Distinct rankings and searches made so far (for logs and the benchmark). */
  stats(): { atoms: number; combinations: number };
}

interface Scored { paperId: string; score: number; why: string }

/** Search hits read per topic: the most relevant papers of the window, for trending to order. */
const TOPIC_HITS = 200;

export function createComposer(o: ComposerOptions): Composer {
  // Room for papers a subscriber already had, which are skipped.
  const depth = Math.min(100, o.size * 3);
  const atoms = new Map<string, Promise<Scored[]>>();
  const combos = new Map<string, Promise<Candidates>>();

  const memo = <T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> => {
    let p = map.get(key);
    if (!p) map.set(key, (p = make()));
    return p;
  };

  const ranked = (entries: TrendingEntry[], lead: string) => entries.map((e) => ({ paperId: e.paperId, score: e.score, why: reason(lead, e.components) }));

  const general = (w: DigestWindow) => memo(atoms, `all|${w.from}|${w.to}`, async () =>
    ranked((await o.trending.rank({ from: w.from, to: w.to, limit: depth, now: o.now })).entries, ''));

  const category = (w: DigestWindow, c: string) => memo(atoms, `cat|${c}|${w.from}|${w.to}`, async () =>
    ranked((await o.trending.rank({ from: w.from, to: w.to, category: c, limit: depth, now: o.now })).entries, `New in ${c}`));

  const topic = (w: DigestWindow, q: string, cats: string[]) => memo(atoms, `q|${q.toLowerCase()}|${cats.join(' ')}|${w.from}|${w.to}`, async () => {
    // The subscriber's words, limited to the window (and their categories, if any).
    const query = `${q} ${cats.map((c) => `cat:${c}`).join(' ')} since:${w.from} before:${addDays(w.to, 1)}`;
    const ids: string[] = [];
    for (let page = 1; ids.length < TOPIC_HITS; page++) {
      const r = await search(o.search, query, { limit: 100, page, sort: 'relevance', snippets: false });
      ids.push(...r.hits.map((h) => h.paper.id));
      if (r.hits.length < 100) break;
    }
    if (!ids.length) return [];
    // Warm the window's ranking first: trending then filters it instead of querying.
    await general(w);
    return ranked((await o.trending.rank({ from: w.from, to: w.to, paperIds: ids, limit: depth, now: o.now })).entries, `Matches your topic “${q}”`);
  });

  async function candidates(choice: TopicChoice, w: DigestWindow): Promise<Candidates> {
    const key = JSON.stringify([w.from, w.to, choice.topicMode, [...choice.topics].map((t) => t.toLowerCase()).sort(), [...choice.categories].sort()]);
    return memo(combos, key, async () => {
      const lists: Scored[][] = [];
      if (choice.topics.length) {
        for (const q of choice.topics) lists.push(await topic(w, q, choice.categories));
      } else {
        for (const c of choice.categories) lists.push(await category(w, c));
      }
      let items = merge(lists);
      const hasTopics = choice.topics.length + choice.categories.length > 0;
      if (!hasTopics) items = await general(w);
      else if (choice.topicMode === 'boost') {
        const mine = new Set(items.map((i) => i.paperId));
        items = items.concat((await general(w)).filter((g) => !mine.has(g.paperId)));
      }
      const list = items.slice(0, depth).map(({ paperId, why }) => ({ paperId, why }));
      const digest = createHash('sha256').update(JSON.stringify([w, list])).digest('base64url').slice(0, 32);
      return { key: digest, window: w, items: list };
    });
  }

  return { candidates, stats: () => ({ atoms: atoms.size, combinations: combos.size }) };
}

/** The union of ranked lists, best score first; a paper in several keeps its first reason. */
function merge(lists: Scored[][]): Scored[] {
  if (lists.length === 1) return lists[0]!;
  const best = new Map<string, Scored>();
  for (const list of lists) for (const s of list) if (!best.has(s.paperId)) best.set(s.paperId, s);
  // The same order as any trending list: ties by id, newest arXiv number first.
  return [...best.values()].sort((a, b) => compareScored(a.score, a.paperId, b.score, b.paperId));
}

/** Parts of a score that say how new a paper is, not what people did with it. */
const NOT_ENGAGEMENT = new Set(['freshness', 'age']);

/** "Matches your topic “x” · 12 upvotes on Hugging Face · 40 stars on its GitHub repository". */
export function reason(lead: string, components: ScoreComponent[]): string {
  const top = components.filter((c) => c.contribution > 0 && c.label && !NOT_ENGAGEMENT.has(c.name))
    .sort((a, b) => b.contribution - a.contribution).slice(0, 2).map((c) => c.label);
  const parts = [lead, ...top].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'Newly announced';
}
