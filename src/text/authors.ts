// Whether an author entry is the person a query names. Full-text engines see an author
// list as one run of words, so "Kaiming He" would also find a K. Zhang next to a W. He:
// every engine narrows its full-text candidates with this check, one entry at a time.

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const words = (s: string) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** A name as its given names and family name (the last word), accent-folded and lower case. */
export function nameParts(name: string): { given: string[]; family: string | null } {
  const w = words(name);
  const family = w.pop() ?? null;
  return { given: w, family };
}

/**
 * Whether one author entry is the person a query names: the same family name, and each
 * given name of the query, in order, matching a given name of the entry — by initial when
 * either side is one ("Y. LeCun" and "Yann LeCun"), in full otherwise ("Kaiming He" is
 * not "Kun He"). Middle names the query leaves out do not matter.
 */
export function authorMatches(query: string, entry: string): boolean {
  const q = nameParts(query);
  if (!q.family) return false;
  const e = words(entry);
  for (let j = e.length - 1; j >= 0; j--) {
    if (e[j] !== q.family) continue;
    let k = 0;
    for (let i = 0; i < j && k < q.given.length; i++) {
      const g = q.given[k]!;
      const t = e[i]!;
      if (g.length === 1 || t.length === 1 ? g[0] === t[0] : g === t) k++;
    }
    if (k === q.given.length) return true;
  }
  return false;
}

/** Whether a paper's authors include every named person (names with given names only; a bare family name is left to the full-text match). */
export function hasAuthors(authorNames: string[], names: string[]): boolean {
  return names.every((n) => nameParts(n).given.length === 0 || authorNames.some((a) => authorMatches(n, a)));
}
