// A snippet of an abstract around the words that matched, with those words marked.
// Words are compared as index terms (stemmed, accents folded), so "networks" in the
// abstract is marked for a query about "network".

import { HIGHLIGHT_END, HIGHLIGHT_START } from '../store/store.js';
import { termOf, words } from './lexical/analyze.js';

export function snippet(text: string, terms: ReadonlySet<string>, maxWords = 48): string | null {
  if (terms.size === 0 || !text) return null;
  const all = [...words(text)];
  const hits = all.map((w) => terms.has(termOf(w.word) ?? ''));
  if (!hits.some(Boolean)) return null;
  // The window of maxWords words with the most matches (earliest on ties).
  let best = 0;
  let bestCount = -1;
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    if (hits[i]) count++;
    if (i >= maxWords && hits[i - maxWords]) count--;
    const start = Math.max(0, i - maxWords + 1);
    if (count > bestCount) {
      bestCount = count;
      best = start;
    }
  }
  const first = all[best]!;
  const last = all[Math.min(all.length, best + maxWords) - 1]!;
  let out = best > 0 ? '…' : '';
  let pos = best > 0 ? first.start : 0;
  for (let i = best; i < best + maxWords && i < all.length; i++) {
    const w = all[i]!;
    out += text.slice(pos, w.start);
    out += hits[i] ? `${HIGHLIGHT_START}${w.word}${HIGHLIGHT_END}` : w.word;
    pos = w.end;
  }
  const rest = text.slice(last.end);
  return out + (best + maxWords < all.length ? '…' : rest);
}
