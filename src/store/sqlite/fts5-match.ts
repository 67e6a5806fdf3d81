// Text constraints (src/text/constraints.ts) as FTS5 MATCH expressions on papers_fts.
// User text reaches FTS5 only inside double-quoted strings, where nothing but `"` is
// special, so any input compiles to an expression FTS5 accepts.

import { effectiveConstraints, type Alternative, type TextConstraints } from '../../text/constraints.js';

/** A double-quoted FTS5 string (NUL would end it). */
const quote = (text: string) => `"${text.replace(/\0/g, ' ').replace(/"/g, '""')}"`;
const compileAlt = (a: Alternative) => (a.kind === 'prefix' ? `${quote(a.text)} *` : quote(a.text));
const orOf = (xs: string[]) => (xs.length > 1 ? `(${xs.join(' OR ')})` : xs[0]!);
const distinct = (xs: string[]) => [...new Set(xs)];

/** What every matching paper has: the clauses, title words and authors, AND-ed; null when nothing. */
export function positiveMatch(constraints: TextConstraints): string | null {
  const c = effectiveConstraints(constraints);
  const atoms = distinct(c.clauses.map((g) => orOf(distinct(g.map(compileAlt)))));
  if (c.title.length > 0) atoms.push(`title : (${distinct(c.title.map(compileAlt)).join(' AND ')})`);
  for (const name of c.authors) {
    const a = authorExpression(name);
    if (a) atoms.push(a);
  }
  return atoms.length ? atoms.join(' AND ') : null;
}

/** Papers having any excluded word or phrase; null when nothing is excluded. */
export function excludedMatch(constraints: TextConstraints): string | null {
  const alts = distinct(effectiveConstraints(constraints).excluded.map(compileAlt));
  return alts.length ? orOf(alts) : null;
}

/**
 * An author name as an FTS5 clause on author_names: the family name exactly and each
 * given name by its initial, close together, so "Yann LeCun", "Y. LeCun" and "LeCun"
 * find the same papers (the tokenizer already folds accents). Full given names are then
 * checked within one author entry (src/text/authors.ts).
 */
export function authorExpression(name: string): string | null {
  const parts = name.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const family = parts.pop();
  if (!family) return null;
  const initials = parts.map((p) => `${quote(p[0]!)} *`);
  const phrase = initials.length ? `NEAR(${[...initials, quote(family)].join(' ')}, ${initials.length + 1})` : quote(family);
  return `author_names : ${phrase}`;
}
