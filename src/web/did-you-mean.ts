// "Did you mean …?" for a query with a misspelt word ("symetry" → "symmetry"), from a
// vocabulary the caller gives: the search index's own words with how many papers hold
// each, so suggestions are words this collection can actually find. Pure: no index, no
// store; the caller decides when to ask (e.g. when a query finds little or nothing).

export interface VocabularyWord {
  word: string;
  /** Papers holding the word; common words win ties, and rare typos never get suggested. */
  papers: number;
  /** The index term the word stands for (its stem): with `termOf`, any form of a known term is known. */
  term?: string;
}

export interface SuggestOptions {
  /** A word held by fewer papers is unknown, and a candidate must be held by at least this many (default 2). */
  minPapers?: number;
  /** A word held by few papers (fewer than `rareBelow`, default 20) is still taken for a typo when a word one edit away is this many times as common (default 20). */
  commonerBy?: number;
  rareBelow?: number;
  /** Words shorter than this are left alone (default 4): "gan" and "rnn" are not typos of each other. */
  minLength?: number;
  /** Maps a typed word to its index term, so "symmetries" counts as known when the vocabulary lists "symmetry". */
  termOf?: (word: string) => string | null;
}

export interface Speller {
  /** The query with misspelt words replaced, or null when no word needed it. */
  suggest(query: string): string | null;
}

/**
 * The query with each word the vocabulary lacks replaced by its nearest known word (edit
 * distance 1, or 2 for words of 8+ letters, transpositions counting 1), or null when no
 * word needed it. Operators and quoted phrases keep their shape; only bare words change.
 */
export function suggestQuery(query: string, vocabulary: Iterable<VocabularyWord>, o: SuggestOptions = {}): string | null {
  return createSpeller(vocabulary, o).suggest(query);
}

/** Prepares a vocabulary once (a large index has ~10⁵ words) for many suggestions. */
export function createSpeller(vocabulary: Iterable<VocabularyWord>, o: SuggestOptions = {}): Speller {
  const minPapers = o.minPapers ?? 2;
  const minLength = o.minLength ?? 4;
  const known = new Map<string, number>();
  const knownTerms = new Map<string, number>();
  // Candidates by first letter and length: the first letter is rarely the typo, and a
  // word is compared only with words of about its length.
  const byLength = new Map<string, string[]>();
  for (const v of vocabulary) {
    const w = v.word.toLowerCase();
    known.set(w, Math.max(known.get(w) ?? 0, v.papers));
    if (v.term !== undefined) knownTerms.set(v.term, Math.max(knownTerms.get(v.term) ?? 0, v.papers));
    if (v.papers >= minPapers) {
      const key = `${w[0]}${w.length}`;
      const list = byLength.get(key);
      if (list) list.push(w);
      else byLength.set(key, [w]);
    }
  }
  const commonerBy = o.commonerBy ?? 20;
  const rareBelow = o.rareBelow ?? 20;
  /** Papers holding the word, or any form of its term. */
  const papersOf = (lower: string) => {
    const term = o.termOf?.(lower);
    return Math.max(known.get(lower) ?? 0, term ? knownTerms.get(term) ?? 0 : 0);
  };
  return {
    suggest(query) {
      let changed = false;
      // Bare words only: field prefixes (author:, cat:), negations, wildcards and numbers stay.
      const out = query.replace(/(^|[\s("])([\p{L}][\p{L}'-]*)(?=$|[\s)"])/gu, (all, before: string, word: string) => {
        const lower = word.toLowerCase();
        if (lower.length < minLength || /^(and|or|not|near)$/i.test(word)) return all;
        // A large collection holds its typos too ("reinforcment" in a few papers): a rare
        // word next to a far commoner one is taken for a typo of it.
        const held = papersOf(lower);
        if (held >= rareBelow) return all;
        const best = nearest(lower, byLength, known);
        if (!best || (held >= minPapers && (known.get(best) ?? 0) < commonerBy * held)) return all;
        changed = true;
        return before + matchCase(word, best);
      });
      return changed ? out : null;
    },
  };
}

function nearest(word: string, byLength: Map<string, string[]>, known: Map<string, number>): string | null {
  const max = word.length >= 8 ? 2 : 1;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (let len = word.length - max; len <= word.length + max; len++) {
    for (const candidate of byLength.get(`${word[0]}${len}`) ?? []) {
      if (candidate === word) continue;
      const d = distance(word, candidate, max);
      if (d > max) continue;
      if (d < bestDistance || (d === bestDistance && (known.get(candidate) ?? 0) > (known.get(best!) ?? 0))) {
        best = candidate;
        bestDistance = d;
      }
    }
  }
  return best;
}

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits), stopping early past `max`. */
export function distance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** "Symetry" → "Symmetry", "SYMETRY" → "SYMMETRY". */
function matchCase(original: string, word: string): string {
  if (original === original.toUpperCase() && original.length > 1) return word.toUpperCase();
  if (original[0] === original[0]!.toUpperCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}
