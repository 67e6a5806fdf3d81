// Opening import files: plain or gzip (recognised by its magic bytes, so a misnamed file
// still works), as a stream that reports how many bytes of the file on disk were read —
// the only size known up front, which progress reporting needs.

import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

export async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (bytesRead < 2) return file.endsWith('.gz');
    return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await fh.close();
  }
}

/**
 * The decompressed content as a stream. `onBytes` gets the size of every chunk read
 * from disk (compressed bytes for a .gz file). Errors of the file or of gunzip (a
 * truncated archive) surface on the returned stream.
 */
export async function openInput(file: string, onBytes?: (n: number) => void): Promise<Readable> {
  const gz = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
  if (!gz) return raw;
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

/**
 * A whole (small) file as text, decompressed if needed, without a byte-order mark: for
 * JSON documents such as an HF day. A damaged or cut .gz, or a document over `maxBytes`,
 * is a problem to report (`{ problem }`), not an exception.
 */
export async function readText(file: string, maxBytes: number): Promise<{ text: string } | { problem: string }> {
  const buf = await readFile(file);
  const gz = buf.length >= 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
  let raw: Buffer;
  try {
    raw = gz ? gunzipSync(buf, { maxOutputLength: maxBytes + 1 }) : buf;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return { problem: `the document is over ${maxBytes.toLocaleString('en-US')} bytes, the limit` };
    return { problem: `truncated: the compressed data ends early or is damaged (${(e as Error).message})` };
  }
  if (raw.length > maxBytes) return { problem: `the document is ${raw.length.toLocaleString('en-US')} bytes; the limit is ${maxBytes.toLocaleString('en-US')}` };
  const text = raw.toString('utf8');
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/**
 * The first non-blank character of the (decompressed) content: "[" for a JSON array, "{"
 * for JSON Lines; null for an empty file, or one that cannot be read (the JSON Lines
 * reader then says why, with the line).
 */
export async function firstChar(file: string): Promise<string | null> {
  const input = await openInput(file);
  try {
    for await (const chunk of input) {
      // \s covers the byte-order mark (U+FEFF) too.
      const m = /\S/.exec((chunk as Buffer).toString('utf8'));
      if (m) return m[0];
    }
    return null;
  } catch {
    return null;
  } finally {
    input.destroy();
  }
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
