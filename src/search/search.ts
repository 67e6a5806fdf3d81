// The search use case: what a researcher typed → the best reading of it → ranked papers.
// A bare arXiv id or URL finds that paper; short queries need every word (falling back
// to any word when nothing has them all); long or pasted queries rank by their rarest
// words. Excluded words, prefixes, title words, categories and dates are checked by the
// index itself (text-conditions.ts); phrases and authors by the store's full-text engine,
// on the best-ranked papers that have their words (store-check.ts).

import { DEFAULT_CONFIG } from '../config.js';
import type { Paper } from '../papers/paper.js';
import type { Store, TextConstraints } from '../store/store.js';
import { createTrending, type Trending } from '../trending/index.js';
import type { IndexHit, IndexQuery, IndexResult, LexicalIndex } from './lexical/lexical-index.js';
import { termOf } from './lexical/analyze.js';
import { createLexicalSearcher, type LexicalSearcher } from './lexical/searcher.js';
import type { Logger } from '../logger.js';
import type { IndexBuilder } from './index-builder.js';
import { parseQuery, type Alternative, type ParsedQuery } from './query-parser.js';
import { snippet } from './snippet.js';
import { blendHead, FUSION_DEFAULTS, fuse, weightFor, type CrossScores, type FusionOptions, type Ranked } from './hybrid.js';
import type { SemanticSearcher, SemanticState } from './semantic/searcher.js';
import type { VectorHit, VectorQuery } from './semantic/vector-index.js';
import { documentText } from './embedders/embedder.js';
import { isBuiltinModel } from './embedders/builtin/model.js';
import { wordMatcher } from './semantic/word-match.js';
import { paperFilterOf, type PaperFilter } from './text-conditions.js';
import { bestMeeting, type Ranking, type StoreCheck } from './store-check.js';

export type SortOrder = 'relevance' | 'newest' | 'trending';
/** By words (BM25F), by meaning (vectors), or both fused. */
export type SearchMode = 'lexical' | 'semantic' | 'hybrid';
export const SEARCH_MODES: readonly SearchMode[] = ['lexical', 'semantic', 'hybrid'];

export interface SearchEngine {
  store: Store;
  lexical: LexicalSearcher;
  /** Ranks hits for sort:trending. */
  trending: Trending;
  /** Vectors for search by meaning; null: words only. */
  semantic: SemanticSearcher | null;
  fusion: FusionOptions;
  /** Wait for vectors being built (CLI, evaluation) rather than answer by words meanwhile (a server). */
  waitForVectors: boolean;
}

export interface SearchEngineOptions {
  logger?: Logger;
  /** Where the index is saved after a build and loaded from at start (see lexical/segment-file.ts). */
  indexFile?: string | undefined;
  /** Builds the word index elsewhere and saves it to indexFile (see index-builder.ts). */
  builder?: IndexBuilder;
  /** The site's trending (configured weights, shared cache); one with the default configuration otherwise. */
  trending?: Trending;
  /** Search by meaning (see semantic/searcher.ts); without it, words only. */
  semantic?: SemanticSearcher | null;
  fusion?: FusionOptions;
  waitForVectors?: boolean;
}

export function createSearchEngine(store: Store, opts: SearchEngineOptions = {}): SearchEngine {
  return {
    store, lexical: createLexicalSearcher(store, { logger: opts.logger, file: opts.indexFile, builder: opts.builder }),
    trending: opts.trending ?? createTrending(store, DEFAULT_CONFIG.trending),
    semantic: opts.semantic ?? null, fusion: opts.fusion ?? FUSION_DEFAULTS, waitForVectors: opts.waitForVectors ?? false,
  };
}

export interface SearchOptions {
  limit?: number;
  /** 1-based. */
  page?: number;
  sort?: SortOrder;
  /** False when the caller shows no snippets (they cost a pass over each abstract). */
  snippets?: boolean;
  /** Default: hybrid when vectors are ready, else lexical. */
  mode?: SearchMode;
}

export interface SearchHit {
  paper: Paper;
  score: number;
  /** Part of the abstract with matched words between HIGHLIGHT_START and HIGHLIGHT_END. */
  snippet: string | null;
}

export interface SearchResult {
  query: string;
  parsed: ParsedQuery;
  total: number;
  /** False when the total is not a count: a lower bound (long queries stop counting papers that cannot rank) or an estimate (store-check.ts). */
  totalIsExact: boolean;
  page: number;
  limit: number;
  sort: SortOrder;
  hits: SearchHit[];
  /** Things the user should know about how the query was read. */
  notes: string[];
  /** The query was an arXiv id and that paper is the result. */
  exactId: boolean;
  /** How the papers were ranked (lexical when vectors are not ready, or for date and trending order). */
  mode: SearchMode;
}

export const MAX_LIMIT = 100;
/** Said when no paper has every word of a short query and papers with some of them are shown. */
export const SOME_WORDS_NOTE = 'No paper has all of these words; showing papers with some of them.';
/** Above this many words a query is a description, ranked by any of its words. */
export const LONG_QUERY_TERMS = 6;
/** From this many words on, a query is pasted text rather than typed (see search()). */
export const PASTED_QUERY_WORDS = 30;
/** A long query keeps this many of its rarest words (tuned on SciFact train; docs/benchmarks.md). */
export const MAX_QUERY_TERMS = 16;
/** sort:trending orders this many best matches (most relevant; newest for a query without words). */
export const TRENDING_POOL = 2000;
/** Hybrid ranking fuses this many of each list's best (more when the page asked for lies deeper). */
export const FUSION_POOL = 100;

export async function search(engine: SearchEngine, query: string, opts: SearchOptions = {}): Promise<SearchResult> {
  const parsed = parseQuery(query);
  const limit = Math.min(Math.max(1, Math.trunc(opts.limit ?? 20)), MAX_LIMIT);
  const page = Math.max(1, Math.trunc(opts.page ?? 1));
  const notes = [...parsed.warnings];
  const sort: SortOrder = parsed.sort ?? opts.sort ?? 'relevance';
  const base = { query, parsed, page, limit, notes, exactId: false, totalIsExact: true, mode: 'lexical' as SearchMode };

  if (parsed.arxivId) {
    const paper = await engine.store.getPaper(parsed.arxivId);
    if (paper) return { ...base, sort, total: 1, hits: page === 1 ? [{ paper, score: 1, snippet: null }] : [], exactId: true };
    notes.push(`Paper ${parsed.arxivId} is not in this collection yet.`);
    return { ...base, sort, total: 0, hits: [] };
  }

  const words = countWords(parsed);
  // Pasted text is full of " -" that are hyphens or dashes, not exclusions: "model -based"
  // must not throw out every paper with "based". Typed queries keep them.
  const pasted = words >= PASTED_QUERY_WORDS;
  if (pasted && parsed.excluded.length) notes.push('In pasted text, words after "-" are read as words to rank by, not as exclusions.');
  const { groups, constraints } = plan(pasted ? { ...parsed, groups: [...parsed.groups, ...parsed.excluded.filter((a) => a.kind !== 'prefix').map((a) => [a])], excluded: [] } : parsed, words > LONG_QUERY_TERMS);
  const index = await engine.lexical.index();
  const { check, ...byKeys } = await paperFilterOf(engine.store, index, constraints);
  const allow = allowOf(byKeys);
  const dates = dateBounds(parsed);
  if (parsed.filters.similarTo) {
    return { ...base, sort: 'relevance', ...(await similarTo(engine, parsed.filters.similarTo, { categories: parsed.filters.categories, ...dates, ...byKeys }, check, { limit, page, notes, snippets: opts.snippets })) };
  }
  const request: IndexQuery = {
    groups, mode: words > LONG_QUERY_TERMS ? 'any' : 'all', maxTerms: MAX_QUERY_TERMS, dropCommonTerms: pasted,
    // With no words to rank by (only filters or prefixes), newest first is the useful order.
    categories: parsed.filters.categories, ...dates, allow, sort: groups.length && sort !== 'newest' ? 'relevance' : 'newest', limit, offset: (page - 1) * limit,
  };
  const days = dayRangeOf(dates);
  if (sort === 'trending' && days.from > days.to) return { ...base, sort, total: 0, hits: [] };
  if (sort === 'trending' && !groups.length && !allow && parsed.filters.categories.length <= 1 && (dates.since || dates.before)) {
    // Only a date window (and a category): trending ranks the whole window itself.
    const entries = await engine.trending.rank({ ...days, category: parsed.filters.categories[0], limit, offset: (page - 1) * limit });
    return { ...base, sort, total: entries.total, hits: await hitsOf(engine, entries.entries, new Set(), opts.snippets) };
  }
  if (sort === 'trending') Object.assign(request, { limit: TRENDING_POOL, offset: 0 });
  const semantic = sort === 'relevance' && groups.length && opts.mode !== 'lexical' ? await vectorsOf(engine) : null;
  if (opts.mode === 'semantic' && !semantic && groups.length) notes.push('Search by meaning is not ready yet; these papers match your words.');
  if (semantic) {
    const pool = Math.max(FUSION_POOL, page * limit);
    const mode: SearchMode = opts.mode === 'semantic' ? 'semantic' : 'hybrid';
    const lexical = mode === 'hybrid' ? await searchWords(index, { ...request, limit: pool, offset: 0 }, groups, notes, check) : null;
    const queryVector = await semantic.embedder.embedQuery(queryText(parsed));
    const vector = (await bestMeeting(check, pool, (n) => vectorRanking(semantic.index.search(queryVector, { limit: n, categories: parsed.filters.categories, ...dates, ...byKeys }), n))).hits;
    const fusion = { ...engine.fusion, semanticWeight: (engine.fusion.semanticWeight ?? FUSION_DEFAULTS.semanticWeight) * modelTrust(semantic) };
    const papers = new Map<string, Paper>();
    let fused = lexical ? fuse(lexical.hits, vector, fusion, crossScores(index, request, lexical.hits, semantic, queryVector, vector)) : vector;
    // Pasted text shares its paper's own words, and its many words would make the match slow.
    if (lexical && !pasted) fused = await matchWordByWord(engine, semantic, parsed, fused, weightFor(wordMatchWeight(engine, semantic), lexical.hits, fusion.confidentOdds), papers);
    const entries = fused.slice((page - 1) * limit, page * limit).map((r) => ({ paperId: r.id, score: r.score }));
    const total = Math.max(fused.length, lexical?.total ?? 0);
    return { ...base, mode, sort, total, totalIsExact: total === fused.length && (lexical?.exact ?? true), hits: await hitsOf(engine, entries, new Set(lexical?.terms ?? []), opts.snippets, papers) };
  }
  const ranked = await searchWords(index, request, groups, notes, check);

  if (sort === 'trending') {
    const entries = await engine.trending.rank({ ...days, paperIds: ranked.hits.map((h) => h.id), limit, offset: (page - 1) * limit });
    if (ranked.total > ranked.hits.length) {
      notes.push(`Trending order covers the ${ranked.hits.length.toLocaleString('en-US')} ${groups.length ? 'best' : 'newest'} of ${ranked.exact ? '' : 'about '}${ranked.total.toLocaleString('en-US')} matches.`);
    }
    return { ...base, sort, total: entries.total, totalIsExact: ranked.exact && entries.total === ranked.total, hits: await hitsOf(engine, entries.entries, new Set(ranked.terms), opts.snippets) };
  }
  const hits = await hitsOf(engine, ranked.hits.map((h) => ({ paperId: h.id, score: h.score })), new Set(ranked.terms), opts.snippets);
  return { ...base, sort, total: ranked.total, totalIsExact: ranked.exact, hits };
}

/** Word search, falling back from every word to any word when no paper has them all; the store's conditions checked on the best (store-check.ts). */
async function searchWords(index: LexicalIndex, request: IndexQuery, groups: string[][], notes: string[], check: StoreCheck | undefined): Promise<IndexResult> {
  let someWords = false;
  const rank = (offset: number, limit: number) => {
    const q = { ...request, offset, limit };
    let ranked = index.search(q);
    someWords = ranked.total === 0 && request.mode === 'all' && groups.length > 1;
    if (someWords) ranked = index.search({ ...q, mode: 'any' });
    return ranked;
  };
  const ranked = check
    ? await bestMeeting(check, request.offset + request.limit, (n) => rank(0, n)).then((r) => ({ ...r, hits: r.hits.slice(request.offset) }))
    : rank(request.offset, request.limit);
  if (someWords && ranked.total > 0) notes.push(SOME_WORDS_NOTE);
  return ranked;
}

/** A vector search's best `limit` as a ranking: complete when it found fewer. */
function vectorRanking(hits: VectorHit[], limit: number): Ranking<VectorHit> {
  return { hits, total: hits.length, exact: hits.length < limit };
}

/** Each list's score for the papers only the other list found (see hybrid.ts). */
function crossScores(index: LexicalIndex, request: IndexQuery, lexical: IndexHit[], semantic: SemanticState, queryVector: Float32Array, vector: VectorHit[]): CrossScores {
  const byWords = new Set(lexical.map((h) => h.id));
  const byMeaning = new Set(vector.map((h) => h.id));
  const onlyMeaning = vector.filter((h) => !byWords.has(h.id));
  const onlyWords = lexical.filter((h) => !byMeaning.has(h.id)).map((h) => h.id);
  const wordScores = index.scoresOf(request, onlyMeaning.map((h) => h.key));
  const similarities = semantic.index.similarities(queryVector, onlyWords);
  return {
    lexical: new Map(onlyMeaning.map((h, i) => [h.id, wordScores[i]!])),
    semantic: new Map(onlyWords.flatMap((id, i) => (similarities[i] === null ? [] : [[id, similarities[i]!] as const]))),
  };
}

/** Papers of a hybrid list's head that the word-by-word match re-orders: 30 lose 0.004 of 50's gain on the dev halves and cost a third less at 1M (docs/benchmarks.md). */
export const WORD_MATCH_POOL = 30;

/** The head of a hybrid list re-ordered by how well each paper's words answer the query's, one by one (word-match.ts). */
async function matchWordByWord(engine: SearchEngine, semantic: SemanticState, parsed: ParsedQuery, fused: Ranked[], weight: number, papers: Map<string, Paper>): Promise<Ranked[]> {
  if (!(weight > 0) || !isBuiltinModel(semantic.embedder)) return fused;
  const score = wordMatcher(semantic.embedder)(queryText(parsed));
  if (!score) return fused;
  const head = fused.slice(0, WORD_MATCH_POOL);
  for (const p of await engine.store.getPapers(head.map((r) => r.id))) papers.set(p.id, p);
  return blendHead(fused, head.map((r) => {
    const p = papers.get(r.id);
    return p ? score(documentText(p.title, p.abstract)) : 0;
  }), weight);
}

/**
 * The word match's weight before the lexical lead lowers it: trusted as the square of the
 * vectors' trust, since one word's neighbours come from fewer examples than a text's vector
 * averages over (on SciFact's 5,183 abstracts the vectors get 0.26 of their weight, the word match 0.07).
 */
function wordMatchWeight(engine: SearchEngine, semantic: SemanticState): number {
  return (engine.fusion.wordMatchWeight ?? FUSION_DEFAULTS.wordMatchWeight) * modelTrust(semantic) ** 2;
}

/**
 * How far hybrid ranking trusts the vectors: fully for an external model; for the built-in
 * one, in proportion to the papers it learnt from up to FULL_TRUST_PAPERS. A model learnt
 * from a few thousand abstracts knows too little language to overrule words (on SciFact's
 * 5,183 abstracts it ranks at 0.49 nDCG@10 against the words' 0.69).
 */
export const FULL_TRUST_PAPERS = 20_000;
function modelTrust(state: SemanticState): number {
  return isBuiltinModel(state.embedder) ? Math.min(1, state.embedder.vocabulary.documents / FULL_TRUST_PAPERS) : 1;
}

async function vectorsOf(engine: SearchEngine): Promise<SemanticState | null> {
  if (!engine.semantic) return null;
  return engine.waitForVectors ? engine.semantic.current() : engine.semantic.ready();
}

/** What the embedder reads of a query: its words and phrases (not exclusions, filters or syntax). */
function queryText(q: ParsedQuery): string {
  return [...q.groups.flat(), ...q.filters.title].filter((a) => a.kind !== 'prefix').map((a) => a.text).join(' ');
}

/** The word index's filter for papers kept or excluded by key (text-conditions.ts). */
function allowOf({ within, without }: PaperFilter): ((key: number) => boolean) | undefined {
  return within || without ? (key) => (!within || within.has(key)) && !without?.has(key) : undefined;
}

/** similar:ID — the paper's vector neighbours (its words' best matches when there are no vectors), filters applied. */
async function similarTo(engine: SearchEngine, id: string, filters: Omit<VectorQuery, 'limit'>, check: StoreCheck | undefined, o: { limit: number; page: number; notes: string[]; snippets?: boolean }): Promise<Pick<SearchResult, 'total' | 'hits' | 'mode' | 'totalIsExact'>> {
  const paper = await engine.store.getPaper(id);
  if (!paper) {
    o.notes.push(`Paper ${id} is not in this collection yet.`);
    return { total: 0, hits: [], mode: 'lexical', totalIsExact: true };
  }
  const pool = Math.max(FUSION_POOL, o.page * o.limit);
  const semantic = await vectorsOf(engine);
  let ranked: Ranked[];
  if (semantic) {
    const vector = semantic.index.vectorOf(id) ?? (await semantic.embedder.embedDocuments([documentText(paper.title, paper.abstract)]))[0]!;
    ranked = (await bestMeeting(check, pool + 1, (n) => vectorRanking(semantic.index.search(vector, { ...filters, limit: n }), n))).hits.filter((h) => h.id !== id);
  } else {
    const text = `${paper.title} ${paper.abstract}`.replace(/["*:()|-]/g, ' ').slice(0, 2000);
    const index = await engine.lexical.index();
    const groups = plan(parseQuery(text), true).groups;
    const { within, without, ...rest } = filters;
    const request: IndexQuery = { groups, mode: 'any', maxTerms: MAX_QUERY_TERMS, dropCommonTerms: true, ...rest, allow: allowOf({ within, without }), sort: 'relevance', limit: pool + 1, offset: 0 };
    ranked = (await searchWords(index, request, groups, [], check)).hits.filter((h) => h.id !== id);
  }
  const entries = ranked.slice((o.page - 1) * o.limit, o.page * o.limit).map((r) => ({ paperId: r.id, score: r.score }));
  return { total: Math.min(ranked.length, pool), hits: await hitsOf(engine, entries, new Set(), false), mode: semantic ? 'semantic' : 'lexical', totalIsExact: false };
}

/**
 * Splits the query into what the index scores (clauses of analysed words) and what only
 * the full-text engine can check. Words of phrases and title filters are scored too:
 * a paper must contain them anyway. In a long (pasted) query, phrases, mostly hyphenated
 * words like "state-of-the-art", are only words to rank by, not conditions.
 */
function plan(q: ParsedQuery, long: boolean): { groups: string[][]; constraints: TextConstraints } {
  const groups: string[][] = [];
  const clauses: Alternative[][] = [];
  const wordsOf = (a: Alternative) => a.text.split(' ').map(termOf).filter((t): t is string => t !== null);
  for (const group of q.groups) {
    if (group.every((a) => a.kind === 'term' || (long && a.kind === 'phrase'))) {
      const terms = group.flatMap(wordsOf);
      if (terms.length) groups.push(terms);
      continue;
    }
    clauses.push(group);
    if (group.length === 1 && group[0]!.kind === 'phrase') for (const t of wordsOf(group[0]!)) groups.push([t]);
  }
  for (const a of q.filters.title) for (const t of wordsOf(a)) groups.push([t]);
  return { groups, constraints: { clauses, title: q.filters.title, authors: q.filters.authors, excluded: q.excluded } };
}

/** The index's YYYYMMDD bounds (before exclusive) as trending's inclusive days; open ends reach any date. */
function dayRangeOf(d: { since?: number; before?: number }): { from: string; to: string } {
  const day = (n: number) => `${String(n).slice(0, 4)}-${String(n).slice(4, 6)}-${String(n).slice(6, 8)}`;
  const before = d.before === undefined ? null : new Date(Date.parse(`${day(d.before)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { from: d.since === undefined ? '1000-01-01' : day(d.since), to: before ?? '9999-12-31' };
}

/** Ranked ids → hits with their papers (in rank order) and, unless turned off, snippets of the matched words. */
async function hitsOf(engine: SearchEngine, entries: { paperId: string; score: number }[], matched: Set<string>, snippets?: boolean, known?: ReadonlyMap<string, Paper>): Promise<SearchHit[]> {
  const missing = entries.map((e) => e.paperId).filter((id) => !known?.has(id));
  const papers = new Map([...(known ?? []), ...(missing.length ? await engine.store.getPapers(missing) : []).map((p) => [p.id, p] as const)]);
  return entries.flatMap((e) => {
    const paper = papers.get(e.paperId);
    return paper ? [{ paper, score: e.score, snippet: snippets === false || !matched.size ? null : snippet(paper.abstract, matched) }] : [];
  });
}

function countWords(q: ParsedQuery): number {
  return q.groups.reduce((n, g) => n + Math.max(...g.map((a) => a.text.split(' ').length)), 0);
}

function dateBounds(q: ParsedQuery): { since?: number; before?: number } {
  let since = q.filters.since;
  let before = q.filters.before;
  if (q.filters.year !== null) {
    const start = `${q.filters.year}-01-01`;
    const end = `${q.filters.year + 1}-01-01`;
    since = since && since > start ? since : start;
    before = before && before < end ? before : end;
  }
  const day = (d: string | null) => (d ? Number(d.replaceAll('-', '')) : undefined);
  return { since: day(since), before: day(before) };
}
