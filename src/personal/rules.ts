// Never-show rules: words (in the title or abstract, whole words, any case), categories
// (cross-lists too) and authors (the name as written, any case and accents). A hidden
// paper is left out everywhere the digest looks.

import type { Paper } from '../papers/paper.js';
import type { Rule } from '../store/personal-store.js';
import { foldName as fold } from './people.js';

export function hiddenBy(rules: Rule[], p: Pick<Paper, 'title' | 'abstract' | 'categories' | 'authors'>): Rule | null {
  let text: string | null = null;
  for (const r of rules) {
    if (r.kind === 'hide-category' && p.categories.includes(r.value)) return r;
    if (r.kind === 'hide-author' && p.authors.some((a) => fold(a.name) === fold(r.value))) return r;
    if (r.kind === 'hide-word') {
      text ??= ` ${fold(`${p.title} ${p.abstract}`).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
      if (text.includes(` ${fold(r.value).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `)) return r;
    }
  }
  return null;
}

/** A title cut to fit in a one-line reason. */
export function shortTitle(title: string, max = 60): string {
  const t = title.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}
