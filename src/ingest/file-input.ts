// Opening import files: plain or gzip (recognised by its magic bytes, so a misnamed file
// still works), as a stream that reports how many bytes of the file on disk were read —
// the only size known up front, which progress reporting needs.

import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { PaperboyError } from '../errors.js';

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

/** A whole (small) file as text, decompressed if needed: for JSON documents such as an HF day. */
export async function readText(file: string): Promise<string> {
  const buf = await readFile(file);
  const gz = buf.length >= 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
  try {
    return (gz ? gunzipSync(buf) : buf).toString('utf8');
  } catch (e) {
    throw new PaperboyError('bad_input', `${file}: cannot decompress: ${(e as Error).message}`);
  }
}

/** The first non-blank character of the (decompressed) content: "[" for a JSON array, "{" for JSON Lines. */
export async function firstChar(file: string): Promise<string | null> {
  const input = await openInput(file);
  try {
    for await (const chunk of input) {
      const m = /\S/.exec((chunk as Buffer).toString('utf8'));
      if (m) return m[0];
    }
    return null;
  } finally {
    input.destroy();
  }
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
