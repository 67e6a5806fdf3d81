// The little LaTeX that reference files put in text fields, made readable: accents
// (\"o, {\'e}), escaped specials (\&, \%), protective braces and a few commands. Math
// between $ signs is kept as written.

const ACCENTS: Record<string, string> = { '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307', u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328' };
const LETTERS: Record<string, string> = { ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı' };

export function latexToText(s: string): string {
  return s
    .replace(/\\([`'^"~=.])\s*\{?\\?([A-Za-z])\}?/g, (_, a: string, ch: string) => (ch + ACCENTS[a]).normalize('NFC'))
    .replace(/\\([uvHck])\s*\{\\?([A-Za-z])\}/g, (_, a: string, ch: string) => (ch + ACCENTS[a]).normalize('NFC'))
    .replace(/\\(ss|ae|AE|aa|AA|o|O|l|L|i)\b\s*/g, (_, l: string) => LETTERS[l]!)
    .replace(/\\(?:textit|textbf|emph|textrm|textsc|mathrm|url|texttt)\s*\{([^{}]*)\}/g, '$1')
    .replace(/\\([&%#_$])/g, '$1')
    .replace(/(?<!\\)[{}]/g, '')
    .replace(/~/g, ' ');
}
