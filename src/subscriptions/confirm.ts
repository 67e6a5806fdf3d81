// Following a confirmation link. The link is single-use: its nonce must be the one the
// subscriber holds, and confirming clears it, so a second click (or a link replaced by
// a newer request) is told so instead of acting again. The first digest comes at the
// subscriber's next slot.

import { nextSlot } from '../digest/slots.js';
import type { Subscriber, SubscriberChange } from '../store/subscriber-store.js';
import type { TokenClaims } from './tokens.js';

export type ConfirmResult =
  | { ok: true; subscriber: Subscriber }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export function decideConfirm(current: Subscriber | null, claims: TokenClaims, now: Date): SubscriberChange<ConfirmResult> {
  if (!current) return { result: { ok: false, reason: 'unknown' } };
  if (current.status !== 'pending' || current.confirmNonce !== claims.nonce) return { result: { ok: false, reason: 'used' } };
  const stamp = now.toISOString();
  if (!current.confirmExpiresAt || current.confirmExpiresAt <= stamp) return { result: { ok: false, reason: 'expired' } };
  const next = nextSlot(current, now).at.toISOString();
  const set = {
    status: 'active' as const, confirmNonce: null, confirmExpiresAt: null, confirmedAt: stamp, updatedAt: stamp,
    unsubscribedAt: null, bounceCount: 0, nextDueAt: next,
  };
  return { result: { ok: true, subscriber: { ...current, ...set } }, set };
}
