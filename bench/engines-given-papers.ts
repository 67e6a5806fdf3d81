// What Store.givenPaperCost stands for, measured on an engine: for the benchmark's
// phrases with enough papers, asking the engine about 200 of the papers with the phrase's
// words, against asking it for every paper with the phrase (which passes over every paper
// with its words). CPU of this process and the engine's server together.

import type { LexicalIndex } from '../src/search/lexical/lexical-index.js';
import { paperFilterOf } from '../src/search/text-conditions.js';
import type { Store, TextConstraints } from '../src/store/store.js';

const GIVEN = 200;
/** Each answer is asked for this many times: /proc counts a server's CPU in 10 ms ticks. */
const REPEATS = 5;

export async function givenPaperCost(store: Store, index: LexicalIndex, phrases: string[], cpuSeconds: () => number): Promise<string> {
  // A zero cost makes the filter narrow to the papers with the words, whatever the engine's own cost.
  const narrowing = { ...store, givenPaperCost: 0 };
  let [phraseCount, given, givenCpu, candidates, allCpu] = [0, 0, 0, 0, 0];
  for (const text of phrases) {
    const c: TextConstraints = { clauses: [[{ kind: 'phrase', text }]], title: [], authors: [], excluded: [] };
    const within = (await paperFilterOf(narrowing, index, c)).within;
    if (!within || within.size < 2 * GIVEN) continue;
    const keys: number[] = [];
    for (const k of within) if (keys.push(k) >= GIVEN) break;
    let t = cpuSeconds();
    for (let i = 0; i < REPEATS; i++) await store.papersMeeting(c, keys);
    givenCpu += cpuSeconds() - t;
    t = cpuSeconds();
    for (let i = 0; i < REPEATS; i++) await store.papersMeeting(c);
    allCpu += cpuSeconds() - t;
    [phraseCount, given, candidates] = [phraseCount + 1, given + REPEATS * keys.length, candidates + REPEATS * within.size];
  }
  if (!given) return 'papersMeeting: no phrase with enough papers to measure';
  const [perGiven, perCandidate] = [(givenCpu * 1e6) / given, (allCpu * 1e6) / candidates];
  return `papersMeeting over ${phraseCount} phrases: ${perGiven.toFixed(1)} µs CPU a given paper (${GIVEN} a phrase), `
    + `${perCandidate.toFixed(2)} µs a paper with the words when asked for every paper (${Math.round(candidates / phraseCount / REPEATS).toLocaleString('en-US')} a phrase on average): `
    + `a given paper costs ${(perGiven / perCandidate).toFixed(1)} of those (givenPaperCost: ${store.givenPaperCost})`;
}
