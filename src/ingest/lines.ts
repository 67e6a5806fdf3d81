// Lines of an import file, read from a byte stream: a UTF-8 byte-order mark is dropped,
// a line longer than the limit is skipped without being held in memory (a 50 MB line
// must not become a 50 MB string), and a stream that fails (a truncated .gz) ends with
// an item saying so and where, instead of an exception that loses the file's name.

import type { Readable } from 'node:stream';

export type LineItem =
  /** `last` is the final line and no line break ended it: it may be a record cut short. */
  | { line: number; text: string; last: boolean }
  | { line: number; tooLong: number }
  | { line: number; truncated: string };

const NL = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Line numbers are 1-based; `maxBytes` bounds one line (its line break excluded). */
export async function* readLines(input: Readable, maxBytes: number): AsyncGenerator<LineItem> {
  let parts: Buffer[] = [];
  let held = 0; // bytes of the current line kept in `parts`
  let length = 0; // bytes of the current line seen, kept or not
  let n = 1;
  let first = true;
  const take = (): string => {
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, held);
    parts = [];
    held = 0;
    length = 0;
    // A CRLF file's carriage return is part of the break, not of the record.
    return buf.toString('utf8', 0, buf.length && buf[buf.length - 1] === 0x0d ? buf.length - 1 : buf.length);
  };
  const end = (): LineItem | null => {
    if (length > maxBytes) {
      const r = { line: n, tooLong: length };
      parts = [];
      held = length = 0;
      return r;
    }
    return null;
  };
  try {
    for await (const chunk of input) {
      let buf = chunk as Buffer;
      if (first) {
        first = false;
        if (buf.subarray(0, 3).equals(BOM)) buf = buf.subarray(3);
      }
      let start = 0;
      for (let nl = buf.indexOf(NL, start); ; nl = buf.indexOf(NL, start)) {
        const stop = nl < 0 ? buf.length : nl;
        const piece = buf.subarray(start, stop);
        length += piece.length;
        if (length <= maxBytes && piece.length) {
          parts.push(piece);
          held += piece.length;
        }
        if (nl < 0) break;
        yield end() ?? { line: n, text: take(), last: false };
        n++;
        start = nl + 1;
      }
    }
  } catch (e) {
    yield { line: n, truncated: (e as Error).message };
    return;
  }
  if (length > 0) yield end() ?? { line: n, text: take(), last: true };
}
