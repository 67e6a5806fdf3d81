// What the manage page and the unsubscribe link change. Whoever holds a signed link
// from an email to the address may change its settings, pause, resume, leave or come
// back: the link proves they read that mailbox. Leaving takes effect at once: the
// outbox re-checks the subscriber just before sending each digest.

import { nextSlot } from '../digest/slots.js';
import type { Subscriber, SubscriberChange, SubscriberFields } from '../store/subscriber-store.js';
import type { Preferences } from './preferences.js';

export type ManageAction = { kind: 'update'; prefs: Preferences } | { kind: 'pause' } | { kind: 'resume' } | { kind: 'unsubscribe' };

export type ManageResult = { ok: true; subscriber: Subscriber; changed: boolean } | { ok: false; reason: 'unknown' | 'pending' };

export function decideManage(current: Subscriber | null, action: ManageAction, now: Date): SubscriberChange<ManageResult> {
  if (!current) return { result: { ok: false, reason: 'unknown' } };
  // A pending subscription has no manage link of its own; an old link must not confirm it.
  if (current.status === 'pending' && action.kind !== 'unsubscribe') return { result: { ok: false, reason: 'pending' } };
  const stamp = now.toISOString();
  let set: SubscriberFields = {};
  switch (action.kind) {
    case 'update': {
      set = { ...action.prefs };
      // A new hour or zone moves the next slot; the outbox's one-row-per-date rule keeps
      // a moved slot from bringing a second digest on a day that already had one.
      if (current.status === 'active') set.nextDueAt = nextSlot(action.prefs, now).at.toISOString();
      break;
    }
    case 'pause':
      if (current.status === 'active') set = { status: 'paused', nextDueAt: null };
      break;
    case 'resume':
      // Also the way back for someone who left or whose address bounced: the link proves the mailbox works.
      if (current.status !== 'active') set = { status: 'active', unsubscribedAt: null, bounceCount: 0, nextDueAt: nextSlot(current, now).at.toISOString() };
      break;
    case 'unsubscribe':
      if (current.status !== 'unsubscribed') set = { status: 'unsubscribed', unsubscribedAt: stamp, nextDueAt: null, confirmNonce: null, confirmExpiresAt: null };
      break;
  }
  const changed = Object.keys(set).length > 0;
  if (changed) set.updatedAt = stamp;
  return { result: { ok: true, subscriber: { ...current, ...set }, changed }, set };
}
