// Re-ranks one subscriber's digest candidates with what they taught Paperboy: the
// topic list (or trending) the composer made, widened with the window's trending papers,
// the papers of the people they follow (namesakes told apart: people.ts) and their saved
// searches' new matches, minus what they never want to see, ordered by the Rocchio model
// (model.ts: on words, and by meaning when search by meaning has paper vectors) with
// trending as the prior, each with a one-line reason. Two alerts lead
// the list: a followed author's new paper, a new version of a saved paper; a saved
// search's matches come next. Subscribers who taught nothing keep the shared candidates
// untouched and cost nothing.

import { createHash } from 'node:crypto';
import type { Paper } from '../papers/paper.js';
import { search, type SearchEngine } from '../search/search.js';
import type { LibraryItem, PersonalProfile } from '../store/personal-store.js';
import type { SemanticState } from '../search/semantic/searcher.js';
import type { Store } from '../store/store.js';
import type { EditionItem } from '../store/digest-store.js';
import type { TopicMode } from '../store/subscriber-store.js';
import type { Trending } from '../trending/index.js';
import { addDays } from '../days.js';
import { reason, type Candidates, type DigestWindow } from '../digest/compose.js';
import { combine, createVocabulary, DEFAULT_WEIGHTS, denseProfile, indexTerms, profileOf, type ModelWeights, type SparseVector, type TermIndex, type Vocabulary } from './model.js';
import { bestFirst } from './best-first.js';
import { hasAuthor, identityOf, isSamePerson } from './people.js';
import { hiddenBy, shortTitle } from './rules.js';
import { createSlab } from './slab.js';

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

/**
 * A window's trending papers with their vectors, the vocabulary they make, and the
 * vectors made with it (of candidates and of liked papers alike). Every subscriber's
 * candidates include them all, so they are scored together: their terms turned around
 * (`index`), their vectors by meaning side by side in one array (`dense`, made when first
 * asked: search by meaning may have none).
 */
interface Pool {
  candidates: Candidate[]; index: TermIndex; dense?: DenseRows;
  vocabulary: Vocabulary; vectors: Map<string, SparseVector>; remembered: Map<string, { v: SparseVector; title: string }>;
}

/** Papers' unit vectors by meaning, one after the other (`dimensions` floats each); `has[i]` is 0 for a paper without one. */
interface DenseRows { rows: Float32Array; has: Uint8Array; dimensions: number }

/** The candidates every subscriber with the same topics starts from, and each one's place among the pool's (-1: not in the pool). */
interface Shared { candidates: Candidate[]; inBase: Set<string>; inPool: Int32Array }

interface Candidate { paper: Paper; v: SparseVector; why: string }

/** What an alert gains (a followed author's paper, a saved paper's new version): as much as the best possible match to the profile, so alerts come first. */
const ALERT_BONUS = 1;
/** What a saved search's match gains: less than an alert, more than the model gives anything else (it was asked for by name). */
const SAVED_SEARCH_BONUS = 0.5;
/** A saved search's matches read per window: the most relevant, so a broad search does not fill the digest. */
const SAVED_SEARCH_HITS = 10;
/**
 * Candidates compared with each liked paper, per subscriber, best first: to write their
 * reason and, for a subscriber who chose "only my topics", to let in papers outside them.
 * The rest keep trending's reason (and, outside the topics, stay out).
 */
const COMPARISONS = 60;
/** Likes, saves and dislikes the model remembers, each: the most recent. */
const MODEL_MEMORY = 50;

export function createPersonalizer(o: PersonalizerOptions): Personalizer {
  const weights = o.weights ?? DEFAULT_WEIGHTS;
  const poolSize = o.poolSize ?? 300;
  const depth = Math.min(100, o.size * 3);
  const papers = new Map<string, Paper>();
  const pools = new Map<string, Promise<Pool>>();
  const byAuthor = new Map<string, Promise<string[]>>();
  const dense = new Map<string, Float32Array | null>();
  const denseSlab = createSlab();
  let semantic: Promise<SemanticState | null> | undefined;
  const fromBase = new WeakMap<Candidates, Shared>();
  let scratch = { scores: new Float64Array(0), bounds: new Float64Array(0), order: new Int32Array(0) };
  let poolScratch = { like: new Float64Array(0), unlike: new Float64Array(0), most: new Float64Array(0), meaning: new Float64Array(0) };

  async function load(ids: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const id of ids) if (!papers.has(id)) missing.add(id);
    for (const p of missing.size ? await o.store.getPapers([...missing]) : []) papers.set(p.id, p);
  }

  const vectorOf = (pool: Pool, p: Pick<Paper, 'id' | 'title' | 'abstract'>) => {
    let v = pool.vectors.get(p.id);
    if (!v) pool.vectors.set(p.id, (v = pool.vocabulary.vector({ key: p.id, title: p.title, abstract: p.abstract })));
    return v;
  };

  // Once per window and run, shared by every subscriber: the trending papers, read, counted and weighed.
  const poolOf = (w: DigestWindow) => {
    const key = `${w.from}|${w.to}`;
    let p = pools.get(key);
    if (!p) {
      pools.set(key, (p = (async () => {
        const entries = (await o.trending.rank({ from: w.from, to: w.to, limit: poolSize, now: o.now })).entries;
        await load(entries.map((e) => e.paperId));
        const found = entries.flatMap((e) => {
          const paper = papers.get(e.paperId);
          return paper ? [{ paper, why: reason('', e.components) }] : [];
        });
        const vocabulary = createVocabulary(found.map(({ paper: p }) => ({ key: p.id, title: p.title, abstract: p.abstract })));
        const pool: Pool = { candidates: [], index: indexTerms([]), vocabulary, vectors: new Map(), remembered: new Map() };
        pool.candidates = found.map((f) => ({ ...f, v: vectorOf(pool, f.paper) }));
        pool.index = indexTerms(pool.candidates.map((c) => c.v));
        return pool;
      })()));
    }
    return p;
  };

  const searched = new Map<string, Promise<string[]>>();
  const searchPapers = (query: string, w: DigestWindow) => {
    const key = `${query.toLowerCase()}|${w.from}|${w.to}`;
    let p = searched.get(key);
    if (!p) {
      // A saved search the query language now refuses brings nothing rather than stopping the round.
      searched.set(key, (p = search(o.search, `${query} since:${w.from} before:${addDays(w.to, 1)}`, { limit: SAVED_SEARCH_HITS, snippets: false })
        .then((r) => r.hits.map((h) => h.paper.id), () => [])));
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

  /**
   * The window's papers by the people the subscriber follows, with the name followed: the
   * name itself on the paper, and, for a person known by papers (followed from one,
   * or picked among namesakes), a shared co-author or category with those papers.
   */
  async function followedPapers(profile: PersonalProfile, w: DigestWindow): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const rule of profile.rules) {
      if (rule.kind !== 'follow-author') continue;
      const ids = await authorPapers(rule.value, w);
      await load([...ids, ...(rule.papers ?? [])]);
      const known = (rule.papers ?? []).flatMap((id) => papers.get(id) ?? []);
      const identity = known.length ? identityOf(rule.value, known) : null;
      for (const id of ids) {
        const p = papers.get(id);
        if (!p || out.has(id) || !(identity ? isSamePerson(rule.value, identity, p) : hasAuthor(rule.value, p))) continue;
        out.set(id, rule.value);
      }
    }
    return out;
  }

  /** A liked, saved or disliked paper's vector and title: from this run's papers, else from its words counted in an earlier run, else from the store. */
  async function remembered(pool: Pool, ids: string[]): Promise<Map<string, { v: SparseVector; title: string }>> {
    const out = new Map<string, { v: SparseVector; title: string }>();
    const unknown: string[] = [];
    for (const id of ids) {
      const p = papers.get(id);
      if (p) {
        out.set(id, { v: vectorOf(pool, p), title: p.title });
        continue;
      }
      let known = pool.remembered.get(id);
      if (!known && (known = pool.vocabulary.counted(id))) pool.remembered.set(id, known);
      if (known) out.set(id, known);
      else unknown.push(id);
    }
    await load(unknown);
    for (const id of unknown) {
      const p = papers.get(id);
      if (p) out.set(id, { v: vectorOf(pool, p), title: p.title });
    }
    return out;
  }

  /**
   * What the subscriber liked by meaning (the unit centroid of its vectors minus a share
   * of what they disliked), and a candidate's similarity to it; null when the weight is 0
   * or search by meaning has no vectors ready (the model then uses words alone). Papers
   * without a vector (imported entries unknown here, papers newer than the index) count 0.
   */
  async function byMeaning(pool: Pool, likedIds: string[], dislikedIds: string[]): Promise<{ of(id: string): number; rows: DenseRows; centroid: Float32Array } | null> {
    if (!weights.vectors || !o.search.semantic) return null;
    // Asked once per round: the vectors of a round's papers do not change within it.
    const state = await (semantic ??= o.search.semantic.ready());
    if (!state) return null;
    const of = (ids: string[]) => ids.flatMap((id) => denseOf(state, id) ?? []);
    const centroid = denseProfile(of(likedIds), of(dislikedIds), weights.disliked);
    if (!centroid) return null;
    return {
      rows: (pool.dense ??= denseRows(state, pool.candidates)),
      centroid,
      of(id) {
        const v = denseOf(state, id);
        let s = 0;
        if (v) for (let k = 0; k < v.length; k++) s += v[k]! * centroid[k]!;
        return s;
      },
    };
  }

  /** The pool's vectors by meaning, side by side. */
  function denseRows(state: SemanticState, candidates: Candidate[]): DenseRows {
    const dimensions = state.index.dimensions;
    const rows = new Float32Array(candidates.length * dimensions);
    const has = new Uint8Array(candidates.length);
    for (const [i, c] of candidates.entries()) {
      const v = denseOf(state, c.paper.id);
      if (!v) continue;
      rows.set(v, i * dimensions);
      has[i] = 1;
    }
    return { rows, has, dimensions };
  }

  /** A paper's unit vector by meaning, kept for the round: candidates and liked papers recur from one subscriber to the next. */
  function denseOf(state: SemanticState, id: string): Float32Array | null {
    let v = dense.get(id);
    if (v === undefined) {
      v = state.index.vectorOf(id, denseSlab.take(state.index.dimensions));
      if (v) {
        let norm = 0;
        for (let k = 0; k < v.length; k++) norm += v[k]! * v[k]!;
        norm = Math.sqrt(norm) || 1;
        for (let k = 0; k < v.length; k++) v[k]! /= norm;
      }
      dense.set(id, v);
    }
    return v;
  }

  /**
   * The candidates every subscriber with these topics starts from: the topic list (in
   * trending order), then the window's other trending papers. Made once per topic list
   * (the composer shares one list among the subscribers who chose the same).
   */
  function sharedCandidates(pool: Pool, base: Candidates): Shared {
    let shared = fromBase.get(base);
    if (!shared) {
      const candidates: Candidate[] = [];
      const inBase = new Set<string>();
      for (const i of base.items) {
        const p = papers.get(i.paperId);
        if (!p || inBase.has(i.paperId)) continue;
        inBase.add(i.paperId);
        candidates.push({ paper: p, v: vectorOf(pool, p), why: i.why });
      }
      const rankOf = new Map(candidates.map((c, rank) => [c.paper.id, rank]));
      const inPool = new Int32Array(candidates.length + pool.candidates.length).fill(-1);
      for (const [at, c] of pool.candidates.entries()) {
        const rank = rankOf.get(c.paper.id);
        if (rank !== undefined) inPool[rank] = at;
        else inPool[candidates.push(c) - 1] = at;
      }
      fromBase.set(base, (shared = { candidates, inBase, inPool: inPool.slice(0, candidates.length) }));
    }
    return shared;
  }

  /** Each candidate's score and likeness bound, by its place, and the places to order: scratch space, grown as needed, reused subscriber after subscriber. */
  function scoreArrays(n: number): typeof scratch {
    if (scratch.scores.length < n) scratch = { scores: new Float64Array(n * 2), bounds: new Float64Array(n * 2), order: new Int32Array(n * 2) };
    return scratch;
  }

  /** The pool's papers' similarities to the liked and disliked centroids, likeness bounds and similarities by meaning: scratch space like scoreArrays. */
  function poolArrays(n: number): typeof poolScratch {
    if (poolScratch.like.length < n) {
      poolScratch = { like: new Float64Array(n * 2), unlike: new Float64Array(n * 2), most: new Float64Array(n * 2), meaning: new Float64Array(n * 2) };
    }
    return poolScratch;
  }

  async function personalize(choice: { topicMode: TopicMode; topics: string[]; categories: string[] }, profile: PersonalProfile | undefined, base: Candidates): Promise<Candidates> {
    if (!profile || (!profile.feedback.length && !profile.library.length && !profile.rules.length)) return base;
    const w = base.window;
    const pool = await poolOf(w);
    const followedIds = await followedPapers(profile, w);
    // A saved search's new matches, with the search (the first that found each).
    const savedIds = new Map<string, string>();
    for (const r of profile.rules) {
      if (r.kind !== 'follow-search') continue;
      for (const id of await searchPapers(r.value, w)) if (!savedIds.has(id)) savedIds.set(id, r.value);
    }

    // The most recent likes, saves and dislikes (MODEL_MEMORY of each): tastes drift, and the cost stays bounded.
    const liked: { id: string; how: 'liked' | 'saved'; item?: LibraryItem }[] = [
      ...profile.feedback.filter((f) => f.kind === 'more').slice(-MODEL_MEMORY).map((f) => ({ id: f.paperId, how: 'liked' as const })),
      ...profile.library.slice(0, MODEL_MEMORY).map((i) => ({ id: i.paperId ?? i.key, how: 'saved' as const, item: i })),
    ];
    const disliked = profile.feedback.filter((f) => f.kind === 'less').slice(-MODEL_MEMORY).map((f) => f.paperId);
    const seen = new Set<string>();
    for (const f of profile.feedback) seen.add(f.paperId);
    for (const i of profile.library) if (i.paperId) seen.add(i.paperId);

    // Alerts: a saved paper (of the most recent ones) with a version newer than the one saved, submitted in this window.
    const saved = profile.library.slice(0, MODEL_MEMORY).flatMap((i) => i.paperId ?? []);
    await load([...base.items.map((i) => i.paperId), ...followedIds.keys(), ...savedIds.keys(), ...saved]);
    const revised = new Map<string, number>();
    for (const i of profile.library) {
      const p = i.paperId ? papers.get(i.paperId) : undefined;
      const latest = p?.versions.at(-1);
      const day = latest?.submittedAt?.slice(0, 10);
      if (p && latest && day && day >= w.from && day <= w.to && latest.version > Number(i.item.version ?? 1)) revised.set(p.id, latest.version);
    }

    const known = await remembered(pool, [...liked.flatMap((l) => (l.item && !l.item.paperId ? [] : [l.id])), ...disliked]);
    const likedVectors = liked.flatMap((l) => {
      const k = known.get(l.id);
      if (k) return [{ how: l.how, title: k.title, v: k.v }];
      // An imported entry without an arXiv id (or not in the store): its own title and abstract.
      if (!l.item) return [];
      const title = l.item.item.title ?? '';
      return [{ how: l.how, title, v: pool.vocabulary.vector({ key: l.id, title, abstract: l.item.item.abstract ?? '' }) }];
    });
    const dislikedVectors = disliked.flatMap((id) => known.get(id)?.v ?? []);

    // Base first (the subscriber's topics, in trending order), then the window's trending, then followed authors and revised papers.
    const shared = sharedCandidates(pool, base);
    const { inBase } = shared;
    let candidates = shared.candidates;
    if (followedIds.size || revised.size || savedIds.size) {
      candidates = [...candidates];
      const listed = new Set(candidates.map((c) => c.paper.id));
      for (const id of [...followedIds.keys(), ...revised.keys(), ...savedIds.keys()]) {
        const p = papers.get(id);
        if (!p || listed.has(id)) continue;
        listed.add(id);
        candidates.push({ paper: p, v: vectorOf(pool, p), why: '' });
      }
    }
    const meaning = await byMeaning(pool, liked.flatMap((l) => (l.item && !l.item.paperId ? [] : [l.id])), disliked);
    // Candidates' vectors are made before the profile: a new one may add terms, and the profile's arrays must cover them.
    // From here on nothing waits: the profile and the score arrays are scratch space shared by every subscriber.
    const model = profileOf(likedVectors.map((l) => l.v), dislikedVectors);

    // Scored by the profile's centroids (the pool's papers all at once, the others one
    // pass over each one's terms), in arrays rather than an object each (what a
    // subscriber leaves behind is what the round's garbage collection costs); ordered
    // only as far as the digest reads; the reasons, which compare with single liked
    // papers, only for the best until the digest is full.
    const { scores, bounds, order } = scoreArrays(candidates.length);
    const fromPool = poolArrays(pool.candidates.length);
    model.scoreAll(pool.index, fromPool.like, fromPool.unlike, fromPool.most);
    if (meaning) closeness(meaning.rows, meaning.centroid, fromPool.meaning);
    const { inPool } = shared;
    let ordered = 0;
    const only = choice.topicMode === 'only' && choice.topics.length + choice.categories.length > 0;
    const items: EditionItem[] = [];
    try {
      for (const [rank, c] of candidates.entries()) {
        const id = c.paper.id;
        const version = revised.get(id);
        if ((seen.has(id) && !version) || hiddenBy(profile.rules, c.paper)) continue;
        const bonus = followedIds.get(id) || version ? ALERT_BONUS : savedIds.get(id) ? SAVED_SEARCH_BONUS : 0;
        // The pool's papers were scored together above; the others (topic papers beyond the pool, alerts) one by one.
        const at = inPool[rank] ?? -1;
        if (at >= 0) {
          scores[rank] = combine(fromPool.like[at]!, fromPool.unlike[at]!, rank, candidates.length, weights) + weights.vectors * (meaning ? fromPool.meaning[at]! : 0) + bonus;
          bounds[rank] = fromPool.most[at]!;
        } else {
          scores[rank] = model.score(c.v, rank, candidates.length, weights) + weights.vectors * (meaning ? meaning.of(id) : 0) + bonus;
          bounds[rank] = model.bound;
        }
        order[ordered++] = rank;
      }
      // Best first; equal scores by paper id, descending.
      const best = bestFirst(order, ordered, (a, b) => (scores[a]! > scores[b]! ? true : scores[a]! < scores[b]! ? false : candidates[a]!.paper.id > candidates[b]!.paper.id));
      let compared = 0;
      for (let i = 0; i < ordered; i++) {
        if (items.length >= depth) break;
        const rank = best(i);
        const c = candidates[rank]!;
        const id = c.paper.id;
        let similar = 0;
        let first = -1;
        // Bounded: comparing with every liked paper is most of a subscriber's cost, and grows with what they liked.
        if (bounds[rank]! >= weights.likeThreshold && compared++ < COMPARISONS) {
          const sims = model.similarities(c.v);
          for (let j = 0; j < likedVectors.length; j++) {
            if (sims[j]! < weights.likeThreshold) continue;
            if (first < 0) first = j;
            similar++;
          }
        }
        const version = revised.get(id);
        const author = followedIds.get(id);
        const saved = savedIds.get(id);
        // A subscriber who asked for their topics only gets others when they are like what they liked, or alerts.
        if (only && !inBase.has(id) && !similar && !author && !version && !saved) continue;
        const why = version ? `New version (v${version}) of a paper you saved`
          : author ? `By ${author}, whom you follow`
            : saved ? `Matches your saved search “${shortTitle(saved, 40)}”`
              : similar === 1 ? `Like “${shortTitle(likedVectors[first]!.title)}”, which you ${likedVectors[first]!.how}`
                : similar > 1 ? `Like ${similar} papers you saved or liked`
                  : c.why;
        items.push({ paperId: id, why: why || 'Newly announced' });
      }
    } finally {
      model.release();
    }
    const key = createHash('sha256').update(JSON.stringify(['personal', w, items])).digest('base64url').slice(0, 32);
    return { key, window: w, items };
  }

  return { personalize };
}

/**
 * Each row's dot product with `centroid` (0 for a row without a vector), into `out`. Four
 * rows at a time, each summed in its own order as one at a time would: the sums are the
 * same to the last bit, and the four run side by side rather than each waiting on its
 * previous addition.
 */
function closeness(dense: DenseRows, centroid: Float32Array, out: Float64Array): void {
  const { rows, has, dimensions: d } = dense;
  const n = has.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const o = i * d;
    for (let k = 0; k < d; k++) {
      const c = centroid[k]!;
      s0 += rows[o + k]! * c;
      s1 += rows[o + d + k]! * c;
      s2 += rows[o + 2 * d + k]! * c;
      s3 += rows[o + 3 * d + k]! * c;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < n; i++) {
    let s = 0;
    for (let k = 0, o = i * d; k < d; k++) s += rows[o + k]! * centroid[k]!;
    out[i] = s;
  }
  for (let j = 0; j < n; j++) if (!has[j]) out[j] = 0;
}
