// Who a request comes from, for every per-client limit (requests, votes, subscribing):
// the peer's address, or behind a reverse proxy (`server.trustProxy`) the last
// X-Forwarded-For entry, the one our proxy added (earlier entries are the client's word).

import type { Context } from 'hono';

/** Undefined without a peer (an in-process `app.request()`). */
export function clientAddress(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const last = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** The scheme the browser used: behind a TLS-terminating proxy, the one it reports. */
export function requestScheme(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() : undefined;
  if (forwarded === 'http' || forwarded === 'https') return forwarded;
  return new URL(c.req.url).protocol.replace(/:$/, '');
}
