// A subscriber recognised on the website, without an account: opening the manage link
// (or recording feedback from a digest) stores that link's signed token in an HttpOnly
// cookie for this browser, so the paper pages can offer "more like this", "less like
// this" and "save", and the library page can open. The token expires as the link does.

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Subscriber } from '../../store/subscriber-store.js';
import { requestScheme } from '../middleware/client-address.js';
import type { PageContext } from './context.js';

const COOKIE = 'pb_reader';

export async function readerOf(c: Context, ctx: PageContext): Promise<{ subscriber: Subscriber; token: string } | null> {
  const token = getCookie(c, COOKIE);
  if (!token || !ctx.subscriptions) return null;
  const r = await ctx.subscriptions.open('manage', token);
  if (!r.ok || r.value.status === 'pending') return null;
  // The page shows this subscriber's own things: no shared cache may keep it.
  c.header('Cache-Control', 'private, no-store');
  c.header('Vary', 'Cookie');
  return { subscriber: r.value, token };
}

/** Remembers a manage token (already checked) for this browser. */
export function rememberReader(c: Context, ctx: PageContext, token: string, expires: Date): void {
  setCookie(c, COOKIE, token, {
    httpOnly: true, sameSite: 'Lax', path: '/', expires, secure: requestScheme(c, ctx.http?.trustProxy ?? false) === 'https',
  });
}

export function forgetReader(c: Context): void {
  deleteCookie(c, COOKIE, { path: '/' });
}

/** A manage token for this subscriber and when it stops working, signed now. */
export async function readerToken(ctx: PageContext, subscriberId: number): Promise<{ token: string; expires: Date }> {
  const subs = ctx.subscriptions!;
  const now = subs.now();
  const token = new URL(await subs.links.manageUrl({ id: subscriberId }, now)).searchParams.get('t')!;
  return { token, expires: await tokenExpiry(ctx, token) };
}

/** When a manage token (already checked) stops working. */
export async function tokenExpiry(ctx: PageContext, token: string): Promise<Date> {
  const subs = ctx.subscriptions!;
  const t = await subs.links.verify('manage', token, subs.now());
  return new Date(t.ok ? t.claims.expires * 1000 : 0);
}
