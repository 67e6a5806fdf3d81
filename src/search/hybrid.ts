// Fusing ranked lists, as pure functions: the lexical list (BM25F scores) and the vector
// list (cosines) are on different scales, so each is min-max normalised over its own
// top results and the two are added with weights. A paper found by one list only is
// scored by the other too when its score there is given (cross scores): a word match
// that means something else then sinks, and a paper described in other words keeps what
// its words did share. Without them it scores the list's floor (0) there.
// Reciprocal-rank fusion, which ignores scores, is the alternative.
//
// The vector list's weight shrinks when the words alone are decisive: when the lexical top
// hit leads the tenth by a wide margin, the query's words picked it out (a claim quoting
// its paper's terms); when the lexical scores are flat, the words did not discriminate (a
// paper described in other words) and meaning gets the full weight.

export interface Ranked { id: string; score: number }

export type FusionMethod = 'weighted' | 'rrf';

export interface FusionOptions {
  method?: FusionMethod;
  /** Weight of the vector list in a weighted fusion (the lexical list gets 1 − weight). */
  semanticWeight?: number;
  /**
   * When the lexical top hit clearly leads (its score ≥ 40 % above the tenth's), the odds
   * semanticWeight : (1 − semanticWeight) are multiplied by this; unchanged at ≤ 20 %,
   * log-linear in between. 1 = a fixed weight; weights 0 and 1 never change.
   */
  confidentOdds?: number;
  /** The k of reciprocal-rank fusion: 1 / (k + rank). */
  rrfK?: number;
  /**
   * Weight of the word-by-word meaning match when it re-orders the head of the fused list
   * (blendHead; the fused score gets 1 − weight), lowered like semanticWeight when the
   * lexical top hit clearly leads. 0 turns it off.
   */
  wordMatchWeight?: number;
}

// Chosen on the dev halves of the described-paper queries and of SciFact (docs/benchmarks.md).
export const FUSION_DEFAULTS = { method: 'weighted', semanticWeight: 0.4, confidentOdds: 0.25, rrfK: 60, wordMatchWeight: 0.6 } as const satisfies Required<FusionOptions>;

/** Scores, in the other list's terms, of papers that only one list found (by paper id). */
export interface CrossScores {
  lexical?: ReadonlyMap<string, number>;
  semantic?: ReadonlyMap<string, number>;
}

/** One list, best first; ties keep the lexical order, then the vector order. */
export function fuse(lexical: Ranked[], semantic: Ranked[], opts: FusionOptions = {}, cross: CrossScores = {}): Ranked[] {
  const o = { ...FUSION_DEFAULTS, ...opts };
  const scores = new Map<string, number>();
  const order = new Map<string, number>();
  const add = (list: Ranked[], points: (r: Ranked, rank: number) => number) => list.forEach((r, rank) => {
    scores.set(r.id, (scores.get(r.id) ?? 0) + points(r, rank));
    if (!order.has(r.id)) order.set(r.id, order.size);
  });
  if (o.method === 'rrf') {
    add(lexical, (_, rank) => 1 / (o.rrfK + rank + 1));
    add(semantic, (_, rank) => 1 / (o.rrfK + rank + 1));
  } else {
    const w = weightFor(o.semanticWeight, lexical, o.confidentOdds);
    const lex = normaliser(lexical);
    const sem = normaliser(semantic);
    add(lexical, (r) => (1 - w) * lex(r.score));
    add(semantic, (r) => w * sem(r.score));
    // Below a list's floor a cross score is negative: it counts against the paper.
    const inLexical = new Set(lexical.map((r) => r.id));
    const inSemantic = new Set(semantic.map((r) => r.id));
    for (const r of semantic) if (!inLexical.has(r.id) && cross.lexical?.has(r.id)) scores.set(r.id, scores.get(r.id)! + (1 - w) * lex(cross.lexical.get(r.id)!));
    for (const r of lexical) if (!inSemantic.has(r.id) && cross.semantic?.has(r.id)) scores.set(r.id, scores.get(r.id)! + w * sem(cross.semantic.get(r.id)!));
  }
  return [...scores].map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || order.get(a.id)! - order.get(b.id)!);
}

/**
 * Maps a list's scores onto 0..1 (its best → 1, its worst → 0; a list of equal scores → 1),
 * and other scores on the same line (below the worst → negative).
 */
function normaliser(list: Ranked[]): (score: number) => number {
  let min = Infinity, max = -Infinity;
  for (const r of list) {
    min = Math.min(min, r.score);
    max = Math.max(max, r.score);
  }
  const range = max - min;
  return (score) => (range > 0 ? (score - min) / range : score >= max ? 1 : 0);
}

/**
 * Re-orders the head of a fused list (its first opinion.length papers) by a second opinion
 * of each: both are min-max normalised over the head and added, the opinion with `weight`.
 * The head's new scores stay within its old range, so the rest of the list follows below.
 */
export function blendHead(fused: Ranked[], opinion: number[], weight: number): Ranked[] {
  const n = Math.min(opinion.length, fused.length);
  if (n < 2 || !(weight > 0)) return fused;
  const head = fused.slice(0, n);
  const first = normaliser(head);
  const second = normaliser(opinion.slice(0, n).map((score, i) => ({ id: head[i]!.id, score })));
  const top = head[0]!.score, bottom = head[n - 1]!.score;
  const blended = head.map((r, i) => ({ id: r.id, score: (1 - weight) * first(r.score) + weight * second(opinion[i]!), rank: i }))
    .sort((a, b) => b.score - a.score || a.rank - b.rank)
    .map((r) => ({ id: r.id, score: bottom + r.score * (top - bottom) }));
  return [...blended, ...fused.slice(n)];
}

/** A meaning signal's weight for this lexical list: w, lower when the lexical top hit clearly leads. */
export function weightFor(w: number, lexical: Ranked[], confidentOdds: number = FUSION_DEFAULTS.confidentOdds): number {
  w = Math.min(1, Math.max(0, w));
  if (lexical.length < 2 || confidentOdds === 1 || w === 0 || w === 1) return w;
  const top = lexical[0]!.score, tenth = lexical[Math.min(9, lexical.length - 1)]!.score;
  if (!(top > 0)) return w;
  const t = Math.min(1, Math.max(0, ((top - tenth) / top - LEAD_FLAT) / (LEAD_CLEAR - LEAD_FLAT)));
  const odds = (w / (1 - w)) * Math.pow(confidentOdds, t);
  return odds / (1 + odds);
}

/** The lexical lead (top − tenth) / top below which the words did not discriminate, and above which they did. */
const LEAD_FLAT = 0.2;
const LEAD_CLEAR = 0.4;
