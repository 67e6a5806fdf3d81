// ETags for GET answers (pages, API, feeds) so a client revalidating after max-age gets a
// bodyless 304. hono/etag does the matching and the 304; the tag is a weak SHA-1 of the
// uncompressed body (weak: one page is sent gzip-, brotli- or un-encoded under one tag).
// Text answers get their tag from the compression step, which holds their bytes anyway:
// hashing there saves hono/etag a clone and a stream read (~0.15 ms on a 70 kB page).

import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { etag as honoEtag } from 'hono/etag';

const sha1 = (body: Uint8Array) => createHash('sha1').update(body).digest();

/** The tag for a body, as hono/etag would make it. */
export function weakTag(body: Uint8Array): string {
  return `W/"${sha1(body).toString('hex')}"`;
}

export function etag(): MiddlewareHandler {
  return honoEtag({
    weak: true,
    // For answers that arrive without a tag (binary files): Node's SHA-1, not WebCrypto's async one.
    generateDigest: (body) => {
      const d = sha1(body);
      return d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) as ArrayBuffer;
    },
  });
}
