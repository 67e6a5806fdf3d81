// Who is voting, and proof that a form came from this site: an anonymous visitor id in
// an HttpOnly cookie, and a CSRF token that is an HMAC of that id (a signed double
// submit: a forged form on another site can neither read the cookie nor compute the token).

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Store } from '../../store/store.js';

export interface Session {
  visitor: string;
  /** Goes into every form as the hidden field `csrf`. */
  csrf: string;
}

export interface Guard {
  /** The visitor's session; a new visitor gets a cookie on this response. */
  session(c: Context): Promise<Session>;
  /** The visitor id when the request carries it and a matching token, else null. */
  verify(c: Context, token: string | undefined): Promise<string | null>;
}

const COOKIE = 'pb_visitor';
const VISITOR_ID = /^[A-Za-z0-9_-]{22}$/;
const YEAR_SECONDS = 365 * 24 * 3600;

export function createGuard(store: Store): Guard {
  // Kept in the database so tokens survive restarts and hold across processes.
  let key: Promise<string> | null = null;
  const secret = () => (key ??= store.secret('csrf').catch((e: unknown) => { key = null; throw e; }));
  const sign = async (visitor: string) => createHmac('sha256', await secret()).update(`vote-form:${visitor}`).digest('base64url');

  return {
    async session(c) {
      let visitor = getCookie(c, COOKIE);
      if (!visitor || !VISITOR_ID.test(visitor)) {
        visitor = randomBytes(16).toString('base64url');
        setCookie(c, COOKIE, visitor, {
          httpOnly: true, sameSite: 'Lax', path: '/', maxAge: YEAR_SECONDS, secure: new URL(c.req.url).protocol === 'https:',
        });
      }
      // The page carries this visitor's token and votes: no shared cache may reuse it.
      c.header('Cache-Control', 'private, no-cache');
      c.header('Vary', 'Cookie');
      return { visitor, csrf: await sign(visitor) };
    },
    async verify(c, token) {
      const visitor = getCookie(c, COOKIE);
      if (!visitor || !VISITOR_ID.test(visitor) || typeof token !== 'string') return null;
      const expected = Buffer.from(await sign(visitor));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected) ? visitor : null;
    },
  };
}

/** A fixed-window counter per key (client address): cheap, and enough to stop vote floods. */
export function createRateLimiter(opts: { limit: number; windowMs: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return (key: string): { ok: true } | { ok: false; retryAfterSeconds: number } => {
    const t = now();
    if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.start >= opts.windowMs) windows.delete(k);
    let w = windows.get(key);
    if (!w || t - w.start >= opts.windowMs) windows.set(key, (w = { start: t, count: 0 }));
    if (++w.count <= opts.limit) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + opts.windowMs - t) / 1000)) };
  };
}

/** A local path to send the visitor back to; anything else (other sites, `//host`) is refused. */
export function safeBack(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s\x00-\x1f]*$/.test(value) && value.length < 2000 ? value : fallback;
}
