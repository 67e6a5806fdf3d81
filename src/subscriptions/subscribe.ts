// What a subscribe request does, decided from the address's current state. The person
// asking always sees the same answer ("check your inbox"); what differs is only the
// email the address receives, so nobody can learn from the site who is subscribed:
// - new, pending, unsubscribed or bouncing: (re)start double opt-in — a confirmation email;
// - active or paused: nothing changes (a stranger must not edit someone's settings),
//   the address gets a link to its settings instead.
// Each address gets at most `noticesPerDayPerAddress` such emails a day; beyond that the
// request is silently dropped, so the site cannot be used to flood an inbox.

import type { Subscriber, SubscriberChange, SubscriberFields } from '../store/subscriber-store.js';
import type { Preferences } from './preferences.js';
import { newNonce } from './tokens.js';

export type Notice = 'confirm' | 'already-subscribed';

export interface SubscribeDecision {
  /** The email to send; null when the per-address limit was reached. */
  notice: Notice | null;
}

export interface SubscribeRules {
  confirmationHours: number;
  noticesPerDay: number;
}

export function decideSubscribe(current: Subscriber | null, email: string, prefs: Preferences, now: Date, rules: SubscribeRules): SubscriberChange<SubscribeDecision> {
  const stamp = now.toISOString();
  const day = stamp.slice(0, 10);
  const sentToday = current && current.noticeDay === day ? current.noticeCount : 0;
  // Over the limit nothing changes at all: the request is as if it never came.
  if (sentToday >= rules.noticesPerDay) return { result: { notice: null } };
  const counted: SubscriberFields = { noticeDay: day, noticeCount: sentToday + 1 };

  if (current && (current.status === 'active' || current.status === 'paused')) {
    return { result: { notice: 'already-subscribed' }, set: counted };
  }
  // A confirmation still open keeps its link (an earlier email stays valid); an expired one gets a new one.
  const open = current?.status === 'pending' && current.confirmNonce && current.confirmExpiresAt && current.confirmExpiresAt > stamp;
  const confirmation: SubscriberFields = open ? {} : {
    confirmNonce: newNonce(),
    confirmExpiresAt: new Date(now.getTime() + rules.confirmationHours * 3600_000).toISOString(),
  };
  const set: SubscriberFields = {
    ...prefs, ...confirmation, ...counted, status: 'pending', updatedAt: stamp,
    ...(current ? {} : { email, consent: 'double-opt-in', createdAt: stamp }),
  };
  return { result: { notice: 'confirm' }, set };
}
