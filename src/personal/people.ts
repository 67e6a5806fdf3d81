// Telling apart different people who publish under one name. A person is known by their
// papers: the co-authors and categories of those papers. Following an author from a
// paper follows the person of that paper; a new paper under the name is theirs when it
// shares a co-author with what is known of them, or its primary category is one of
// theirs. To let a subscriber pick the right person, the papers under a name are grouped
// into people: papers that share a co-author (directly or through others) are one
// person's.

import type { Paper } from '../papers/paper.js';
import { foldWord } from '../search/lexical/analyze.js';

/** A name as compared: any case, accents and spacing. */
export const foldName = (s: string) => foldWord(s).replace(/\s+/g, ' ').trim();

export function hasAuthor(name: string, p: Pick<Paper, 'authors'>): boolean {
  const n = foldName(name);
  return p.authors.some((a) => foldName(a.name) === n);
}

/** What is known of the person called `name` on these papers: their co-authors (folded) and categories. */
export interface Identity { coauthors: Set<string>; categories: Set<string> }

export function identityOf(name: string, papers: Pick<Paper, 'authors' | 'categories'>[]): Identity {
  const n = foldName(name);
  const id: Identity = { coauthors: new Set(), categories: new Set() };
  for (const p of papers) {
    for (const a of p.authors) {
      const f = foldName(a.name);
      if (f !== n) id.coauthors.add(f);
    }
    for (const c of p.categories) id.categories.add(c);
  }
  return id;
}

/** Whether a paper is by the person known from `identity`: the name, and a shared co-author or their primary category. */
export function isSamePerson(name: string, identity: Identity, p: Pick<Paper, 'authors' | 'categories' | 'primaryCategory'>): boolean {
  if (!hasAuthor(name, p)) return false;
  const n = foldName(name);
  for (const a of p.authors) {
    const f = foldName(a.name);
    if (f !== n && identity.coauthors.has(f)) return true;
  }
  const primary = p.primaryCategory ?? p.categories[0];
  return primary !== undefined && identity.categories.has(primary);
}

export interface Person {
  /** Newest first. */
  papers: Paper[];
  /** Most frequent first. */
  coauthors: string[];
  categories: string[];
}

/**
 * The papers under `name` (those that really carry it), grouped into people: papers
 * that share a co-author are one person's, and a paper that shares none joins the one
 * group that has its primary category, if exactly one has. Most papers first.
 */
export function peopleNamed(name: string, papers: Paper[]): Person[] {
  const n = foldName(name);
  const mine = papers.filter((p) => hasAuthor(name, p));
  const parent = mine.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const firstWith = new Map<string, number>();
  for (const [i, p] of mine.entries()) {
    for (const a of p.authors) {
      const f = foldName(a.name);
      if (f === n) continue;
      const j = firstWith.get(f);
      if (j === undefined) firstWith.set(f, i);
      else parent[root(i)] = root(j);
    }
  }
  const groups = new Map<number, Paper[]>();
  for (const [i, p] of mine.entries()) groups.set(root(i), [...(groups.get(root(i)) ?? []), p]);
  const primary = (p: Paper) => p.primaryCategory ?? p.categories[0];
  const large = [...groups.values()].filter((g) => g.length > 1);
  const people: Paper[][] = [...large];
  for (const g of groups.values()) {
    if (g.length > 1) continue;
    const homes = large.filter((l) => l.some((p) => primary(p) === primary(g[0]!)));
    if (homes.length === 1) homes[0]!.push(g[0]!);
    else people.push(g);
  }
  const newest = (a: Paper, b: Paper) => ((b.announcedAt ?? b.submittedAt ?? '') > (a.announcedAt ?? a.submittedAt ?? '') ? 1 : -1);
  return people.map((ps) => {
    const counts = new Map<string, { name: string; count: number }>();
    for (const p of ps) {
      for (const a of p.authors) {
        const f = foldName(a.name);
        if (f === n) continue;
        const c = counts.get(f) ?? { name: a.name, count: 0 };
        c.count++;
        counts.set(f, c);
      }
    }
    return {
      papers: [...ps].sort(newest),
      coauthors: [...counts.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).map((c) => c.name),
      categories: [...new Set(ps.flatMap((p) => p.categories))].sort(),
    };
  }).sort((a, b) => b.papers.length - a.papers.length || newest(a.papers[0]!, b.papers[0]!));
}
