// A snippet of an abstract around the words that matched, with those words marked.
// Words are compared as index terms (stemmed, accents folded), so "networks" in the
// abstract is marked for a query about "network".

import { HIGHLIGHT_END, HIGHLIGHT_START } from '../store/store.js';
import { forEachWordAt, termOf } from './lexical/analyze.js';

/** Words shown before the first match: enough to read it in context. */
const LEAD_WORDS = 4;
/** The span in which matches are counted to pick the snippet: about three lines of a card on a phone. */
const FOCUS_WORDS = 18;

/**
 * Up to `maxWords` words of `text` starting just before its densest run of matches, so
 * the marked words sit in the first lines, which are all a card shows (three lines; the
 * rest opens with "Show more").
 */
export function snippet(text: string, terms: ReadonlySet<string>, maxWords = 48): string | null {
  if (terms.size === 0 || !text) return null;
  const starts: number[] = [];
  const ends: number[] = [];
  const hits: boolean[] = [];
  let any = false;
  // A term starts with its word's first letter, lower-cased (stemming only trims endings),
  // so most words are ruled out without analysing them: a third of a search page's time.
  const initials = new Set([...terms].map((t) => t.charCodeAt(0)));
  forEachWordAt(text, (start, end) => {
    const c = text.charCodeAt(start);
    const initial = c >= 65 && c <= 90 ? c + 32 : c;
    const hit = (c > 127 || initials.has(initial)) && terms.has(termOf(text.slice(start, end)) ?? '');
    starts.push(start);
    ends.push(end);
    hits.push(hit);
    any ||= hit;
  });
  if (!any) return null;
  const n = starts.length;
  // The FOCUS_WORDS words with the most matches (earliest on ties), then from a few words
  // before the first of them.
  const focus = Math.min(FOCUS_WORDS, maxWords);
  let bestEnd = 0;
  let bestCount = -1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (hits[i]) count++;
    if (i >= focus && hits[i - focus]) count--;
    if (count > bestCount) {
      bestCount = count;
      bestEnd = i;
    }
  }
  let first = Math.max(0, bestEnd - focus + 1);
  while (!hits[first]) first++;
  const best = first <= LEAD_WORDS ? 0 : first - LEAD_WORDS;
  const stop = Math.min(n, best + maxWords);
  let out = best > 0 ? '…' : '';
  let pos = best > 0 ? starts[best]! : 0;
  for (let i = best; i < stop; i++) {
    if (!hits[i]) continue;
    out += `${text.slice(pos, starts[i])}${HIGHLIGHT_START}${text.slice(starts[i], ends[i])}${HIGHLIGHT_END}`;
    pos = ends[i]!;
  }
  out += text.slice(pos, ends[stop - 1]);
  return out + (stop < n ? '…' : text.slice(ends[stop - 1]));
}
