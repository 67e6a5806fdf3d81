// ETags for GET answers (pages, API, feeds) so a client revalidating after max-age gets a
// bodyless 304. hono/etag does the matching; the digest is Node's SHA-1, synchronous and
// several times faster on page-sized bodies than the WebCrypto default.

import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { etag as honoEtag } from 'hono/etag';

export function etag(): MiddlewareHandler {
  return honoEtag({
    // Weak: the same page may be sent gzip-, brotli- or un-encoded under one tag.
    weak: true,
    generateDigest: (body) => {
      const digest = createHash('sha1').update(body).digest();
      return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength) as ArrayBuffer;
    },
  });
}
