// Phrases and authors need word positions the word index does not keep, so the store's
// full-text engine checks them. Asking it for every paper such a condition matches was
// the costliest kind of query on PostgreSQL (a common phrase at a million papers: ~200 ms,
// against 12 ms on SQLite), whose GIN index keeps no positions and reads back every
// candidate's vector (docs/benchmarks.md). So when enough papers have the condition's
// words that it is cheaper (Store.givenPaperCost), search ranks them (text-conditions.ts
// narrows to those) and asks the store only about the best, twice as many as the page
// needs. Most often that fills the page: the hits are the same as before and the total is
// estimated (likelyMeeting). When it does not (a rare phrase of common words), the store is
// asked for every paper meeting the conditions, as before, and the total is exact.

import type { Store, TextConstraints } from '../store/store.js';

/** The fewest best papers asked about at once: enough that a page of 20 usually fills in one round trip when only a tenth of them meet the conditions. */
export const MIN_CHECK_BATCH = 200;

export class StoreCheck {
  private readonly met = new Set<number>();
  private readonly failed = new Set<number>();
  /** Every paper meeting the conditions, once the store was asked for them all. */
  private all: Set<number> | null = null;
  /** Papers known not to meet the conditions: rankings leave them out (text-conditions.ts). */
  readonly failing = { has: (key: number) => (this.all ? !this.all.has(key) : this.failed.has(key)) };

  /** `candidates`: how many papers may meet the conditions (Infinity when the index cannot tell). */
  constructor(private readonly store: Store, private readonly conditions: TextConstraints, private readonly candidates: number) {}

  /** Whether asking about `n` papers costs less than asking for every paper meeting the conditions. */
  cheaperThanAll(n: number): boolean {
    return askingAboutBestPays(this.store, this.candidates, n);
  }

  /** Asks the store about those of these papers not asked about yet. */
  async ask(keys: readonly number[]): Promise<void> {
    const fresh = keys.filter((k) => !this.met.has(k) && !this.failed.has(k));
    if (!fresh.length) return;
    const meeting = await this.store.papersMeeting(this.conditions, fresh);
    for (const k of fresh) (meeting.has(k) ? this.met : this.failed).add(k);
  }

  /** Asks the store for every paper meeting the conditions. */
  async askAll(): Promise<void> {
    this.all ??= await this.store.papersMeeting(this.conditions);
  }

  get knowsAll(): boolean {
    return this.all !== null;
  }

  meets(key: number): boolean {
    return this.all ? this.all.has(key) : this.met.has(key);
  }
}

/** Whether asking the store about `n` papers costs less than asking for all of `candidates` papers that may meet a condition. */
export function askingAboutBestPays(store: Store, candidates: number, n: number): boolean {
  return candidates > n * store.givenPaperCost;
}

/** A ranking's best papers and how many candidates it has in all (not a count when `exact` is false). */
export interface Ranking<H extends { key: number }> {
  hits: H[];
  total: number;
  exact: boolean;
}

/**
 * The `need` best papers meeting the store's conditions, from a ranking that leaves out
 * the papers `check` knows to fail (its filter reads `check.failing`): `rank(n)` gives the
 * best n of those left. Without a check, the ranking as it is.
 */
export async function bestMeeting<H extends { key: number }, R extends Ranking<H>>(check: StoreCheck | undefined, need: number, rank: (limit: number) => R): Promise<R> {
  if (!check) return rank(need);
  const limit = Math.max(2 * need, MIN_CHECK_BATCH);
  if (!check.knowsAll && check.cheaperThanAll(limit)) {
    const r = rank(limit);
    await check.ask(r.hits.map((h) => h.key));
    const hits = r.hits.filter((h) => check.meets(h.key));
    // Fewer than asked for: every candidate was ranked, so every one was asked about.
    if (r.hits.length < limit) return { ...r, hits: hits.slice(0, need), total: hits.length, exact: true };
    if (hits.length >= need) return { ...r, hits: hits.slice(0, need), total: hits.length + likelyMeeting(check, r.hits, r.total - r.hits.length), exact: false };
    // Too few met them. Asking about more would cost about what asking for all does, or
    // more when that too falls short (measured: tens of ms for a phrase at 75k papers).
  }
  await check.askAll();
  return rank(need);
}

/**
 * How many of the `unasked` candidates ranked below `asked` likely meet the conditions:
 * as many as in the lower half of those asked about. Papers meeting them tend to rank
 * high (a phrase's words close together in a short title), so the share over all would
 * count too many.
 */
function likelyMeeting(check: StoreCheck, asked: readonly { key: number }[], unasked: number): number {
  const lower = asked.slice(asked.length >> 1);
  return Math.round((unasked * lower.filter((h) => check.meets(h.key)).length) / lower.length);
}
