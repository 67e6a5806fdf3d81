// Splits arXiv's free-text author strings ("A. Smith (MIT), B. Jones and C. Doe") into
// Author records. Commas and " and " separate names only outside parentheses, since
// affiliations in parentheses contain both. arXiv's numbered style
// "A (1), B (2) ((1) MIT, (2) CMU)" is resolved to per-author affiliations.

import { cleanText, type Author } from '../papers/paper.js';

export function splitAuthors(raw: string): Author[] {
  const text = cleanText(raw);
  if (!text) return [];
  // A trailing "((1) MIT, (2) CMU)" is the numbered affiliation legend.
  const open = text.endsWith(')') ? matchingOpen(text) : -1;
  const inner = open >= 0 ? text.slice(open + 1, -1).trim() : '';
  const legend = /^\(\w+\)/.test(inner) ? parseLegend(inner) : new Map<string, string>();
  const parts = splitTopLevel(legend.size ? text.slice(0, open) : text);
  const authors: Author[] = [];
  for (const part of parts) {
    const groups: string[] = [];
    const name = cleanText(part.replace(/\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g, (_m, inner: string) => {
      groups.push(cleanText(inner));
      return ' ';
    }));
    if (!name) continue;
    const affiliations: string[] = [];
    for (const g of groups) {
      const refs = g.split(/\s*(?:,|and|&)\s*/).filter(Boolean);
      if (refs.length && refs.every((r) => legend.has(r))) affiliations.push(...refs.map((r) => legend.get(r)!));
      else if (!/^\d+$/.test(g) && g) affiliations.push(g);
    }
    authors.push(affiliations.length ? { name, affiliations } : { name });
  }
  return authors;
}

/** Index of the "(" that the final ")" closes, or -1. */
function matchingOpen(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return i;
  }
  return -1;
}

/** Splits at commas, semicolons and " and " that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === ',' || ch === ';')) {
      out.push(current);
      current = '';
      continue;
    }
    if (depth === 0 && text.startsWith(' and ', i)) {
      out.push(current);
      current = '';
      i += 4;
      continue;
    }
    current += ch;
  }
  out.push(current);
  // ", and" (Oxford comma) leaves an empty part; "Jr." after a comma belongs to the name before.
  const merged: string[] = [];
  for (const p of out.map((s) => s.trim()).filter(Boolean)) {
    if (/^(Jr|Sr|II|III|IV)\.?$/.test(p) && merged.length) merged[merged.length - 1] += `, ${p}`;
    else merged.push(p);
  }
  return merged;
}

/** "(1) MIT, (2) CMU" → {1: MIT, 2: CMU}. */
function parseLegend(inner: string): Map<string, string> {
  const legend = new Map<string, string>();
  const re = /\((\w+)\)\s*([^()]*?)(?=\s*,?\s*\(\w+\)|\s*$)/g;
  for (let m = re.exec(inner); m; m = re.exec(inner)) {
    const affiliation = cleanText(m[2]).replace(/[,;]$/, '');
    if (affiliation) legend.set(m[1]!, affiliation);
  }
  return legend;
}
