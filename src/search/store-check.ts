// Phrases and authors need word positions the word index does not keep, so the store's
// full-text engine checks them. Asking it for every paper such a condition matches was
// the costliest kind of query: a common phrase at a million papers took 12 ms on SQLite
// and ~200 ms on PostgreSQL, whose GIN index keeps no positions and reads back every
// candidate's vector (docs/benchmarks.md). Instead, search ranks the papers that may meet
// the conditions (every word of the phrase, from the index; text-conditions.ts) and asks
// the store only about the best, a batch at a time, until the page is full of papers that
// do. The hits are the same as before; the total is exact when every candidate was asked
// about, and estimated otherwise (likelyMeeting).

import type { Store, TextConstraints } from '../store/store.js';

/** The fewest candidates asked about at once: one round trip to the store costs about what checking a few hundred papers does. */
export const MIN_CHECK_BATCH = 200;
/** Each further batch is this many times the last: a rare phrase among common words is found in a few round trips. */
const BATCH_GROWTH = 4;

export class StoreCheck {
  private readonly met = new Set<number>();
  /** Papers known not to meet the conditions: ranking leaves them out from then on. */
  readonly failed = new Set<number>();

  constructor(private readonly store: Store, private readonly conditions: TextConstraints) {}

  /** Asks the store about those of these papers not asked about yet. */
  async ask(keys: readonly number[]): Promise<void> {
    const fresh = keys.filter((k) => !this.met.has(k) && !this.failed.has(k));
    if (!fresh.length) return;
    const meeting = await this.store.papersMeeting(this.conditions, fresh);
    for (const k of fresh) (meeting.has(k) ? this.met : this.failed).add(k);
  }

  meets(key: number): boolean {
    return this.met.has(key);
  }

}

/** A ranking's best papers and how many candidates it has in all (an estimate when `exact` is false). */
export interface Ranking<H extends { key: number }> {
  hits: H[];
  total: number;
  exact: boolean;
}

/**
 * The `need` best papers meeting the store's conditions, from a ranking that leaves out
 * the papers `check` found failing (its filter reads `check.failed`): `rank(n)` gives the
 * best n of those left. Without a check, the ranking as it is.
 */
export async function bestMeeting<H extends { key: number }, R extends Ranking<H>>(check: StoreCheck | undefined, need: number, rank: (limit: number) => R): Promise<R> {
  if (!check) return rank(need);
  for (let limit = Math.max(2 * need, MIN_CHECK_BATCH); ; limit *= BATCH_GROWTH) {
    const r = rank(limit);
    await check.ask(r.hits.map((h) => h.key));
    const hits = r.hits.filter((h) => check.meets(h.key));
    // Every candidate left was ranked, so every one was asked about.
    const complete = r.hits.length < limit || (r.exact && r.hits.length >= r.total);
    if (complete) return { ...r, hits: hits.slice(0, need), total: hits.length, exact: true };
    if (hits.length >= need) return { ...r, hits: hits.slice(0, need), total: hits.length + likelyMeeting(check, r.hits, r.total - r.hits.length), exact: false };
  }
}

/**
 * How many of the `unasked` candidates ranked below `asked` likely meet the conditions:
 * as many as in the lower half of those asked about. Papers meeting them tend to rank
 * high (a phrase's words close together in a short title), so the share over all would
 * count too many.
 */
function likelyMeeting(check: StoreCheck, asked: readonly { key: number }[], unasked: number): number {
  const lower = asked.slice(asked.length >> 1);
  return lower.length ? Math.round((unasked * lower.filter((h) => check.meets(h.key)).length) / lower.length) : unasked;
}
