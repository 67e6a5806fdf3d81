// Inline LaTeX ($…$, $$…$$) rendered on the server with KaTeX, so formulas read well
// with no script. Only KaTeX's own output is inserted unescaped: it escapes the TeX it
// is given, and `trust: false` turns off \href, \url, \includegraphics and raw HTML.

import katex from 'katex';
import { html, raw } from 'hono/html';
import type { Html } from './layout.js';

// $$…$$ first, then $…$; a backslash-escaped \$ is a dollar sign, not a delimiter.
const MATH = /(?<!\\)\$\$((?:\\.|[^$\\]){1,1000}?)\$\$|(?<!\\)\$((?:\\.|[^$\\]){1,1000}?)\$/g;
const CACHE_SIZE = 2000;
const cache = new Map<string, string>();

export function hasMath(text: string): boolean {
  MATH.lastIndex = 0;
  return MATH.test(text);
}

/** Escaped text with each formula replaced by KaTeX markup. */
export function withMath(text: string): Html {
  const parts: Html[] = [];
  let last = 0;
  for (const m of text.matchAll(MATH)) {
    parts.push(html`${text.slice(last, m.index)}`);
    parts.push(raw(render(m[1] ?? m[2] ?? '', m[1] !== undefined)));
    last = m.index + m[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

function render(tex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${tex}`;
  let out = cache.get(key);
  if (out === undefined) {
    out = katex.renderToString(tex, {
      displayMode: display, throwOnError: false, trust: false, strict: 'ignore', maxExpand: 200, maxSize: 20, output: 'htmlAndMathml',
    });
    // A small LRU: lists show the same papers to everyone, so hits are the common case.
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  } else cache.delete(key);
  cache.set(key, out);
  return out;
}
