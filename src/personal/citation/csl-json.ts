// CSL-JSON out and in: the citation format of citeproc, Zotero ("CSL JSON" export) and
// Pandoc. Reading accepts an array of items (or one item); a syntax error is reported
// with its line, an item without a title with its place in the list.

import type { CslItem } from '../../store/personal-store.js';
import type { Parsed } from './bibtex.js';

export function toCslJson(items: CslItem[]): string {
  return `${JSON.stringify(items, null, 2)}\n`;
}

export function parseCslJson(text: string): Parsed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const line = text.slice(0, syntaxErrorAt(text)).split('\n').length;
    return { ok: false, errors: [{ line, message: `not valid JSON: ${(e as Error).message.replace(/, ".*$/s, '').replace(/ in JSON at position \d+.*$/, '')}` }] };
  }
  const list = Array.isArray(data) ? data : [data];
  const errors = list.flatMap((x, n) => {
    const ok = x && typeof x === 'object' && typeof (x as CslItem).title === 'string' && (x as CslItem).title!.trim() !== '';
    return ok ? [] : [{ line: lineOfItem(text, n), message: `item ${n + 1} has no title` }];
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, items: list.map((x, n) => ({ ...(x as CslItem), id: String((x as CslItem).id ?? `item-${n + 1}`), type: String((x as CslItem).type ?? 'article') })) };
}

/** The line where the n-th top-level item of a JSON array starts (a best effort for messages). */
function lineOfItem(text: string, n: number): number {
  let depth = 0;
  let count = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (depth === 1 && ch === '{' && ++count === n) return text.slice(0, i).split('\n').length;
      depth++;
    } else if (ch === '}' || ch === ']') depth--;
  }
  return 1;
}

/** Where JSON.parse gave up (its messages do not always say): the offset of the first character that cannot continue a JSON text. */
export function syntaxErrorAt(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (ch === '{') {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i++] !== ':') (i--, fail());
        }
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return void literal('true');
    if (ch === 'f') return void literal('false');
    if (ch === 'n') return void literal('null');
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const string = () => {
    for (i++; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return void i++;
      else if (text[i] === '\n') fail();
    }
    fail();
  };
  try {
    value();
    space();
    return i < text.length ? i : text.length;
  } catch (at) {
    return at as number;
  }
}
