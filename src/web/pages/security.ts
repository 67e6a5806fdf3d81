// Who is voting, and proof that a form came from this site. Visitors are anonymous: an
// id in an HttpOnly SameSite=Lax cookie, handed out with the first vote. A POST is
// accepted when the browser says it came from this site (Sec-Fetch-Site, else Origin:
// every current browser sends one of them on a form post, and a page on another site
// can forge neither), or when it carries a token that is an HMAC of the visitor's id (a
// signed double submit, for pages rendered for one visitor). Pages for visitors without
// a cookie therefore hold nothing personal and can be shared between them (page-cache.ts).

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Store } from '../../store/store.js';
import { keyedBuckets } from '../../rate-limit.js';
import { clientAddress, requestScheme } from '../middleware/client-address.js';

export interface Session {
  /** Null for a visitor who has never voted: the page is then the same for everyone. */
  visitor: string | null;
  /** Goes into every form as the hidden field `csrf`; empty for anonymous pages. */
  csrf: string;
}

export interface Guard {
  /** The visitor's session, from the cookie; sets nothing. */
  session(c: Context): Promise<Session>;
  /** Whether a form post came from this site, as its headers or `token` prove. */
  verify(c: Context, token: string | undefined): Promise<boolean>;
  /** For a vote: the visitor id when the post came from this site, handing a new visitor a cookie; else null. */
  voter(c: Context, token: string | undefined): Promise<string | null>;
}

const COOKIE = 'pb_visitor';
const VISITOR_ID = /^[A-Za-z0-9_-]{22}$/;
const YEAR_SECONDS = 365 * 24 * 3600;

export function createGuard(store: Store, opts: { trustProxy?: boolean } = {}): Guard {
  const trustProxy = opts.trustProxy ?? false;
  // Kept in the database so tokens survive restarts and hold across processes.
  let key: Promise<string> | null = null;
  const secret = () => (key ??= store.secret('csrf').catch((e: unknown) => { key = null; throw e; }));
  const sign = async (visitor: string) => createHmac('sha256', await secret()).update(`vote-form:${visitor}`).digest('base64url');
  const visitorOf = (c: Context) => {
    const v = getCookie(c, COOKIE);
    return v && VISITOR_ID.test(v) ? v : null;
  };

  const verify = async (c: Context, token: string | undefined): Promise<boolean> => {
    const visitor = visitorOf(c);
    const signed = visitor !== null && typeof token === 'string' && token !== '' && safeEqual(token, await sign(visitor));
    return signed || fromThisSite(c, trustProxy);
  };

  return {
    async session(c) {
      const visitor = visitorOf(c);
      if (!visitor) return { visitor: null, csrf: '' };
      // The page carries this visitor's token and votes: no shared cache may reuse it.
      c.header('Cache-Control', 'private, no-cache');
      c.header('Vary', 'Cookie');
      return { visitor, csrf: await sign(visitor) };
    },
    verify,
    async voter(c, token) {
      if (!(await verify(c, token))) return null;
      let visitor = visitorOf(c);
      if (!visitor) {
        visitor = randomBytes(16).toString('base64url');
        setCookie(c, COOKIE, visitor, {
          httpOnly: true, sameSite: 'Lax', path: '/', maxAge: YEAR_SECONDS, secure: requestScheme(c, trustProxy) === 'https',
        });
      }
      return visitor;
    },
  };
}

/**
 * What the browser says of where the request comes from (Fetch Metadata, else Origin).
 * An Origin must match this site's scheme as well as its host: `https://host` posting to
 * `http://host` is another origin (a page served over https on that name is not ours).
 */
export function fromThisSite(c: Context, trustProxy = false): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return false;
  try {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    return new URL(origin).origin === new URL(`${requestScheme(c, trustProxy)}://${host}`).origin;
  } catch {
    return false;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A per-client limit for a form (votes, subscribe requests): `capacity` per `periodMs`,
 * keyed by the client address as every limit is (behind a trusted proxy, the forwarded
 * one). Requests without a peer (in-process) share one key.
 */
export function limitPerClient(opts: { capacity: number; periodMs: number; trustProxy?: boolean; now?: () => number }) {
  const buckets = keyedBuckets({ capacity: opts.capacity, periodMs: opts.periodMs, now: opts.now });
  return (c: Context): { ok: true } | { ok: false; retryAfterSeconds: number } => {
    const waitMs = buckets.take(clientAddress(c, opts.trustProxy ?? false) ?? 'unknown');
    return waitMs ? { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { ok: true };
  };
}

/** A local path to send the visitor back to; anything else (other sites, `//host`) is refused. */
export function safeBack(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s\x00-\x1f]*$/.test(value) && value.length < 2000 ? value : fallback;
}
