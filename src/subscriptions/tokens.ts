// Signed links for people without accounts: confirm, manage, unsubscribe. A token is
// `subscriberId.expiry.nonce.mac`, the MAC an HMAC-SHA256 over the purpose and the other
// parts with a key only the server holds, so a token cannot be forged, altered, stretched
// in time or used for another purpose. Confirmation tokens are also single-use: their
// nonce must match the one stored with the subscriber, which confirming clears.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** `feedback:ACTION:PAPER` binds a feedback link to its paper and action (src/personal/feedback.ts). */
/** `alerts-off` turns off a subscriber's alert emails (the List-Unsubscribe link of an alert email), and nothing else. */
export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe' | 'alerts-off' | `feedback:${string}`;

export interface TokenClaims {
  subscriberId: number;
  /** Seconds since the epoch. */
  expires: number;
  /** Random for confirmation links; the issue date (YYYYMMDD) of feedback links; empty otherwise. */
  nonce: string;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const SHAPE = /^([0-9a-z]{1,12})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{0,32})\.([A-Za-z0-9_-]{43})$/;

export function newNonce(): string {
  return randomBytes(12).toString('base64url');
}

function mac(key: string, purpose: TokenPurpose, id: string, exp: string, nonce: string): string {
  return createHmac('sha256', key).update(`paperboy-link:${purpose}:${id}:${exp}:${nonce}`).digest('base64url');
}

export function signToken(key: string, purpose: TokenPurpose, claims: TokenClaims): string {
  const id = claims.subscriberId.toString(36);
  const exp = Math.floor(claims.expires).toString(36);
  return `${id}.${exp}.${claims.nonce}.${mac(key, purpose, id, exp, claims.nonce)}`;
}

export function verifyToken(key: string, purpose: TokenPurpose, token: unknown, now: Date): TokenCheck {
  const m = typeof token === 'string' ? SHAPE.exec(token) : null;
  if (!m) return { ok: false, reason: 'malformed' };
  const [, id, exp, nonce, given] = m as unknown as [string, string, string, string, string];
  const expected = Buffer.from(mac(key, purpose, id, exp, nonce));
  if (!timingSafeEqual(expected, Buffer.from(given))) return { ok: false, reason: 'forged' };
  const claims = { subscriberId: Number.parseInt(id, 36), expires: Number.parseInt(exp, 36), nonce };
  // Checked after the MAC, so an expired answer is only ever given for a genuine link.
  if (claims.expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
