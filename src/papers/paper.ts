// The Paper model every part of Paperboy shares: what ingest produces, the store keeps,
// search indexes and the web shows.

export interface Author {
  name: string;
  affiliations?: string[];
}

export interface PaperVersion {
  /** 1-based; v1 is the original submission. */
  version: number;
  /** ISO 8601 timestamp (UTC) the version was submitted, when known. */
  submittedAt: string | null;
  /** Size as arXiv reports it ("123kb"), when known. */
  size?: string | null;
}

/**
 * One paper as a source describes it. Optional facts a source does not know are null
 * (or empty arrays); the store merges records so a poorer source never erases what a
 * richer one told it.
 */
export interface PaperRecord {
  /** Canonical arXiv id without version (see parseArxivId). */
  id: string;
  title: string;
  abstract: string;
  /** In the order the paper lists them. */
  authors: Author[];
  /** Primary category first, then cross-lists, in arXiv order. */
  categories: string[];
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  /** Known versions, ascending; may be empty when the source gives none. */
  versions: PaperVersion[];
  /** v1 submission time (ISO), when known even without a version list. */
  submittedAt: string | null;
  /** Date (YYYY-MM-DD, UTC) arXiv announced the paper, when known. */
  announcedAt: string | null;
  /** Time the source says the record last changed (ISO), when known. */
  updatedAt: string | null;
}

/** A stored paper: the merged record plus what the store derives. */
export interface Paper extends PaperRecord {
  primaryCategory: string | null;
  latestVersion: number | null;
  links: { abs: string; pdf: string };
}

/** An observation of engagement: upvotes, comments, GitHub stars, views, … */
export interface Signal {
  paperId: string;
  kind: SignalKind;
  value: number;
  /** Who observed it: "local", "hf-daily", "github", … */
  source: string;
  /** ISO 8601 timestamp of the observation. */
  observedAt: string;
}

export type SignalKind = 'upvotes' | 'comments' | 'github_stars' | 'views';
export const SIGNAL_KINDS: readonly SignalKind[] = ['upvotes', 'comments', 'github_stars', 'views'];

/**
 * The day a paper is listed under (YYYY-MM-DD): its announcement, else its submission;
 * null when neither is known. Pages, feeds, the API and the CLI all date papers by it, as
 * the store orders them.
 */
export function displayDay(p: Pick<PaperRecord, 'announcedAt' | 'submittedAt'>): string | null {
  return p.announcedAt ?? p.submittedAt?.slice(0, 10) ?? null;
}

/** A record with every optional field empty: the base the parsers fill in. */
export function emptyRecord(id: string, title = '', abstract = ''): PaperRecord {
  return {
    id, title, abstract, authors: [], categories: [], comment: null, journalRef: null, doi: null,
    license: null, versions: [], submittedAt: null, announcedAt: null, updatedAt: null,
  };
}

/**
 * Collapses the runs of whitespace and line breaks arXiv metadata is full of, and drops
 * control characters (NUL, BEL, ESC, …): they have no meaning in metadata, are invalid in
 * XML feeds and would drive a terminal that prints a title.
 */
export function cleanText(s: string | null | undefined): string {
  if (!s) return '';
  // Most text is already clean; one scan for a tab, line break, double space or control
  // character is much cheaper than a replace that rebuilds every abstract (it dominates
  // bulk imports).
  if (!NEEDS_CLEANING.test(s)) return s.trim();
  return s.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** C0 and C1 control characters and DEL, except the whitespace ones that collapse to a space. */
const CONTROL = /[\x00-\x08\x0e-\x1f\x7f-\x9f]/g;
const NEEDS_CLEANING = /[^\S ]| {2}|[\x00-\x08\x0e-\x1f\x7f-\x9f]/;
