// What both feed formats say, independent of their syntax: the feed's identity and
// links, and an entry per paper with absolute links and real dates.

import type { Paper } from '../../papers/paper.js';

export interface FeedEntry {
  /** The arXiv abs URL: stable, global, and the same whichever site serves the feed. */
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  /** The paper's page on this site. */
  link: string;
  pdf: string;
  /** When the paper was listed (announced, else first submitted); null when unknown. */
  published: Date | null;
  /** The last change known: latest version or record update, else `published`. */
  updated: Date | null;
}

export interface Feed {
  title: string;
  description: string;
  /** The feed's own URL (absolute), the self link and the Atom feed id. */
  self: string;
  /** The page on the site showing the same papers. */
  alternate: string;
  updated: Date;
  entries: FeedEntry[];
}

/** Long author lists (collaborations list hundreds) are cut here, marked "et al.". */
const MAX_AUTHORS = 25;

const date = (s: string | null | undefined): Date | null => {
  if (!s) return null;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  return Number.isNaN(d.getTime()) ? null : d;
};

export function feedEntry(p: Paper, origin: string): FeedEntry {
  const published = date(p.announcedAt) ?? date(p.submittedAt);
  const changes = [date(p.updatedAt), ...p.versions.map((v) => date(v.submittedAt)), published].filter((d): d is Date => d !== null);
  const updated = changes.length ? new Date(Math.max(...changes.map((d) => d.getTime()))) : null;
  const names = p.authors.map((a) => a.name);
  return {
    id: p.links.abs, title: p.title, abstract: p.abstract, categories: p.categories,
    authors: names.length > MAX_AUTHORS ? [...names.slice(0, MAX_AUTHORS), 'et al.'] : names,
    link: `${origin}/papers/${p.id}`, pdf: p.links.pdf, published, updated,
  };
}

/** The feed is as new as its newest entry; an empty one as of `now`. */
export function feedUpdated(entries: FeedEntry[], now: Date): Date {
  const times = entries.map((e) => (e.updated ?? e.published)?.getTime()).filter((t): t is number => t !== undefined);
  return times.length ? new Date(Math.max(...times)) : now;
}
