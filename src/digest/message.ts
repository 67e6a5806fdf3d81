// One subscriber's digest as an email: the rendered papers plus their own signed links
// (manage, and unsubscribe for the footer and the List-Unsubscribe header). Shared by the
// outbox and `digest preview`, so a preview is exactly what would be sent.

import type { OutgoingMail } from '../mail/mailer.js';
import type { Subscriber } from '../store/subscriber-store.js';
import { describeSchedule, describeTopics } from '../subscriptions/preferences.js';
import type { DigestEntry, DigestRenderer } from './render/digest.js';

export type LinkSigner = (purpose: 'manage' | 'unsubscribe', subscriberId: number, now: Date) => string;

export function digestMail(render: DigestRenderer, sign: LinkSigner, s: Subscriber, d: { date: string; messageId: string; entries: DigestEntry[] }, at: Date): OutgoingMail {
  const unsubscribeUrl = sign('unsubscribe', s.id, at);
  const r = render({
    date: d.date, frequency: s.frequency, entries: d.entries, manageUrl: sign('manage', s.id, at), unsubscribeUrl,
    topics: describeTopics(s), schedule: describeSchedule(s),
  });
  return { to: s.email, subject: r.subject, html: r.html, text: r.text, messageId: d.messageId, date: at, unsubscribeUrl, list: true };
}
