// Re-ranks one subscriber's digest candidates with what they taught Paperboy: the
// topic list (or trending) the composer made, widened with the window's trending papers
// and their followed authors' papers, minus what they never want to see, ordered by the
// Rocchio model (model.ts) with trending as the prior, each with a one-line reason. Two
// alerts lead the list: a followed author's new paper, a new version of a saved paper.
// Subscribers who taught nothing keep the shared candidates untouched and cost nothing.

import { createHash } from 'node:crypto';
import type { Paper } from '../papers/paper.js';
import { search, type SearchEngine } from '../search/search.js';
import type { LibraryItem, PersonalProfile } from '../store/personal-store.js';
import type { Store } from '../store/store.js';
import type { EditionItem } from '../store/digest-store.js';
import type { TopicMode } from '../store/subscriber-store.js';
import type { Trending } from '../trending/index.js';
import { addDays } from '../days.js';
import { reason, type Candidates, type DigestWindow } from '../digest/compose.js';
import { createVocabulary, DEFAULT_WEIGHTS, dot, profileOf, scoreCandidate, type ModelWeights, type SparseVector, type Vocabulary } from './model.js';
import { hiddenBy, shortTitle } from './rules.js';

export interface PersonalizerOptions {
  store: Store;
  trending: Trending;
  search: SearchEngine;
  /** Papers per digest. */
  size: number;
  now: Date;
  /** Trending papers of the window the model may bring in beyond the subscriber's topics. */
  poolSize?: number;
  weights?: ModelWeights;
}

export interface Personalizer {
  personalize(choice: { topicMode: TopicMode; topics: string[]; categories: string[] }, profile: PersonalProfile | undefined, base: Candidates): Promise<Candidates>;
}

/** A window's trending papers, their vocabulary and the vectors made with it (of candidates and of liked papers alike). */
interface Pool { items: EditionItem[]; vocabulary: Vocabulary; vectors: Map<string, SparseVector> }

/** What an alert gains (a followed author's paper, a saved paper's new version): as much as the best possible match to the profile, so alerts come first. */
const ALERT_BONUS = 1;
/** Likes, saves and dislikes the model remembers, each: the most recent. */
const MODEL_MEMORY = 50;

export function createPersonalizer(o: PersonalizerOptions): Personalizer {
  const weights = o.weights ?? DEFAULT_WEIGHTS;
  const poolSize = o.poolSize ?? 300;
  const depth = Math.min(100, o.size * 3);
  const papers = new Map<string, Paper>();
  const pools = new Map<string, Promise<Pool>>();
  const byAuthor = new Map<string, Promise<string[]>>();

  async function load(ids: string[]): Promise<void> {
    const missing = new Set<string>();
    for (const id of ids) if (!papers.has(id)) missing.add(id);
    for (const p of missing.size ? await o.store.getPapers([...missing]) : []) papers.set(p.id, p);
  }

  const poolOf = (w: DigestWindow) => {
    const key = `${w.from}|${w.to}`;
    let p = pools.get(key);
    if (!p) {
      pools.set(key, (p = (async () => {
        const entries = (await o.trending.rank({ from: w.from, to: w.to, limit: poolSize, now: o.now })).entries;
        await load(entries.map((e) => e.paperId));
        const texts = entries.flatMap((e) => papers.get(e.paperId) ?? []).map((p) => ({ key: p.id, title: p.title, abstract: p.abstract }));
        return { items: entries.map((e) => ({ paperId: e.paperId, why: reason('', e.components) })), vocabulary: createVocabulary(texts), vectors: new Map() };
      })()));
    }
    return p;
  };

  const authorPapers = (name: string, w: DigestWindow) => {
    const key = `${name.toLowerCase()}|${w.from}|${w.to}`;
    let p = byAuthor.get(key);
    if (!p) {
      byAuthor.set(key, (p = search(o.search, `author:"${name.replaceAll('"', '')}" since:${w.from} before:${addDays(w.to, 1)}`, { limit: 50, snippets: false })
        .then((r) => r.hits.map((h) => h.paper.id))));
    }
    return p;
  };

  const vectorOf = (pool: Pool, id: string, title: string, abstract: string) => {
    let v = pool.vectors.get(id);
    if (!v) pool.vectors.set(id, (v = pool.vocabulary.vector({ key: id, title, abstract })));
    return v;
  };

  async function personalize(choice: { topicMode: TopicMode; topics: string[]; categories: string[] }, profile: PersonalProfile | undefined, base: Candidates): Promise<Candidates> {
    if (!profile || (!profile.feedback.length && !profile.library.length && !profile.rules.length)) return base;
    const w = base.window;
    const pool = await poolOf(w);
    const followed = profile.rules.filter((r) => r.kind === 'follow-author').map((r) => r.value);
    const followedIds = new Map<string, string>();
    for (const name of followed) for (const id of await authorPapers(name, w)) if (!followedIds.has(id)) followedIds.set(id, name);

    // The most recent likes, saves and dislikes (MODEL_MEMORY of each): tastes drift, and the cost stays bounded.
    const liked = [
      ...profile.feedback.filter((f) => f.kind === 'more').slice(-MODEL_MEMORY).map((f) => ({ id: f.paperId, how: 'liked' as const })),
      ...profile.library.slice(0, MODEL_MEMORY).map((i) => ({ id: i.paperId ?? i.key, how: 'saved' as const, item: i })),
    ];
    const disliked = profile.feedback.filter((f) => f.kind === 'less').slice(-MODEL_MEMORY).map((f) => f.paperId);
    const seen = new Set([...profile.feedback.map((f) => f.paperId), ...profile.library.flatMap((i) => i.paperId ?? [])]);

    // Base first (the subscriber's topics, in trending order), then the window's trending, then followed authors.
    const order = new Map<string, EditionItem>();
    for (const list of [base.items, pool.items]) for (const i of list) if (!order.has(i.paperId)) order.set(i.paperId, i);
    for (const id of followedIds.keys()) if (!order.has(id)) order.set(id, { paperId: id, why: '' });
    const inBase = new Set(base.items.map((i) => i.paperId));
    await load([...order.keys(), ...liked.map((l) => l.id), ...disliked]);
    // Alerts: a saved paper with a version newer than the one saved, submitted in this window.
    const revised = new Map<string, number>();
    for (const i of profile.library) {
      const p = i.paperId ? papers.get(i.paperId) : undefined;
      const latest = p?.versions.at(-1);
      const day = latest?.submittedAt?.slice(0, 10);
      if (p && latest && day && day >= w.from && day <= w.to && latest.version > Number(i.item.version ?? 1)) revised.set(p.id, latest.version);
    }
    for (const id of revised.keys()) if (!order.has(id)) order.set(id, { paperId: id, why: '' });

    const textOf = (l: { id: string; item?: LibraryItem }) => {
      const p = papers.get(l.item?.paperId ?? l.id);
      if (p) return { title: p.title, abstract: p.abstract };
      return l.item ? { title: l.item.item.title ?? '', abstract: l.item.item.abstract ?? '' } : null;
    };
    const likedVectors = liked.flatMap((l) => {
      const t = textOf(l);
      return t ? [{ ...l, title: t.title, v: vectorOf(pool, l.id, t.title, t.abstract) }] : [];
    });
    const dislikedVectors = disliked.flatMap((id) => {
      const p = papers.get(id);
      return p ? [vectorOf(pool, id, p.title, p.abstract)] : [];
    });
    // Candidates' vectors first: a new one may add terms, and the profile's arrays must cover them.
    const candidates = [...order.values()].map((c) => ({ c, p: papers.get(c.paperId) }));
    for (const { p } of candidates) if (p) vectorOf(pool, p.id, p.title, p.abstract);
    const model = profileOf(likedVectors.map((l) => l.v), dislikedVectors);

    // Scored by the profile's centroids (one pass over each candidate's terms); the
    // reasons, which compare with single liked papers, only for the best until the digest is full.
    const scored: { p: Paper; v: SparseVector; score: number; why: string; author?: string; version?: number }[] = [];
    let rank = 0;
    try {
      for (const { c: candidate, p } of candidates) {
        const r = rank++;
        const version = p && revised.get(p.id);
        if (!p || (seen.has(p.id) && !version) || hiddenBy(profile.rules, p)) continue;
        const v = vectorOf(pool, p.id, p.title, p.abstract);
        const author = followedIds.get(p.id);
        const score = scoreCandidate(model, v, r, order.size, weights) + (author || version ? ALERT_BONUS : 0);
        scored.push({ p, v, score, why: candidate.why, author, version });
      }
    } finally {
      model.release();
    }
    scored.sort((a, b) => b.score - a.score || (a.p.id < b.p.id ? 1 : -1));
    const only = choice.topicMode === 'only' && choice.topics.length + choice.categories.length > 0;
    const items: EditionItem[] = [];
    for (const s of scored) {
      if (items.length >= depth) break;
      const similar = likedVectors.filter((l) => dot(l.v, s.v) >= weights.likeThreshold);
      // A subscriber who asked for their topics only gets others when they are like what they liked, or alerts.
      if (only && !inBase.has(s.p.id) && !similar.length && !s.author && !s.version) continue;
      const why = s.version ? `New version (v${s.version}) of a paper you saved`
        : s.author ? `By ${s.author}, whom you follow`
          : similar.length === 1 ? `Like “${shortTitle(similar[0]!.title)}”, which you ${similar[0]!.how}`
            : similar.length > 1 ? `Like ${similar.length} papers you saved or liked`
              : s.why;
      items.push({ paperId: s.p.id, why: why || 'Newly announced' });
    }
    const key = createHash('sha256').update(JSON.stringify(['personal', w, items])).digest('base64url').slice(0, 32);
    return { key, window: w, items };
  }

  return { personalize };
}
