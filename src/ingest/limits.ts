// Upper bounds on what one imported paper may hold. Every page, feed and API answer shows
// these fields, so one 50 MB abstract made a 50 MB home page; a record over a bound is
// refused with a reason naming the field, its size and the limit. The bounds sit far
// above real metadata (the 74,728-paper cs corpus: title ≤ 227 characters, abstract ≤
// 3,488, 3,303 authors, names ≤ 512, comment ≤ 421), so only broken input meets them.

import type { PaperRecord } from '../papers/paper.js';

export const LIMITS = {
  /** One line of a JSON Lines file, in bytes: a collaboration's author list fits many times over. */
  lineBytes: 4 * 1024 * 1024,
  /** A whole JSON document (a Hugging Face day), in bytes. */
  documentBytes: 64 * 1024 * 1024,
  title: 2_000,
  abstract: 20_000,
  authors: 10_000,
  authorName: 1_000,
  affiliations: 100,
  affiliation: 1_000,
  comment: 5_000,
  journalRef: 2_000,
  doi: 500,
  license: 500,
  versions: 1_000,
  versionSize: 50,
} as const;

const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** Why the record is over a bound or holds a control character, or null when it is fine. */
export function checkLimits(r: PaperRecord): string | null {
  const text = (field: string, value: string | null | undefined, max: number): string | null => {
    if (value == null) return null;
    if (value.length > max) return `${field} is ${value.length.toLocaleString('en-US')} characters; the limit is ${max.toLocaleString('en-US')}`;
    // The parsers clean text (cleanText); this catches a field one of them forgot.
    if (CONTROL.test(value)) return `${field} contains a control character`;
    return null;
  };
  const count = (field: string, n: number, max: number) =>
    (n > max ? `${field}: ${n.toLocaleString('en-US')} of them; the limit is ${max.toLocaleString('en-US')}` : null);

  const simple = text('title', r.title, LIMITS.title) ?? text('abstract', r.abstract, LIMITS.abstract)
    ?? text('comment', r.comment, LIMITS.comment) ?? text('journal_ref', r.journalRef, LIMITS.journalRef)
    ?? text('doi', r.doi, LIMITS.doi) ?? text('license', r.license, LIMITS.license)
    ?? count('authors', r.authors.length, LIMITS.authors) ?? count('versions', r.versions.length, LIMITS.versions);
  if (simple) return simple;
  for (const [i, a] of r.authors.entries()) {
    const bad = text(`authors[${i}]`, a.name, LIMITS.authorName) ?? count(`authors[${i}].affiliations`, a.affiliations?.length ?? 0, LIMITS.affiliations);
    if (bad) return bad;
    for (const [j, aff] of (a.affiliations ?? []).entries()) {
      const badAff = text(`authors[${i}].affiliations[${j}]`, aff, LIMITS.affiliation);
      if (badAff) return badAff;
    }
  }
  for (const [i, c] of r.categories.entries()) {
    const bad = text(`categories[${i}]`, c, 100);
    if (bad) return bad;
  }
  for (const [i, v] of r.versions.entries()) {
    const bad = text(`versions[${i}].size`, v.size, LIMITS.versionSize);
    if (bad) return bad;
  }
  return null;
}
