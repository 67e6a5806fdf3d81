// One subscriber's digest (or alert email) as an email: the rendered papers plus their own signed links
// (manage, and unsubscribe for the footer and the List-Unsubscribe header). Shared by the
// outbox and `digest preview`, so a preview is exactly what would be sent.

import type { OutgoingMail } from '../mail/mailer.js';
import type { Subscriber } from '../store/subscriber-store.js';
import { describeSchedule, describeTopics } from '../subscriptions/preferences.js';
import type { FeedbackSigner, LongLivedPurpose } from '../subscriptions/links.js';
import type { DigestEntry, DigestRenderer } from './render/digest.js';

export type LinkSigner = (purpose: LongLivedPurpose, subscriberId: number, now: Date) => string;

export function digestMail(render: DigestRenderer, sign: LinkSigner, s: Subscriber, d: { date: string; messageId: string; entries: DigestEntry[]; kind?: 'digest' | 'alerts' }, at: Date, feedback?: FeedbackSigner): OutgoingMail {
  // An alert email's one-click unsubscribe turns alerts off, not the digest: it is its own list (List-Id alerts.DOMAIN).
  const alerts = d.kind === 'alerts';
  const unsubscribeUrl = sign(alerts ? 'alerts-off' : 'unsubscribe', s.id, at);
  // Feedback links name the digest's date, so each is used once (src/personal/feedback.ts) and a retry of the same message carries the same ones.
  const entries = feedback ? d.entries.map((e) => ({
    ...e, feedback: { more: feedback(s.id, e.paper.id, 'more', d.date, at), less: feedback(s.id, e.paper.id, 'less', d.date, at), save: feedback(s.id, e.paper.id, 'save', d.date, at) },
  })) : d.entries;
  const r = render({
    kind: d.kind, date: d.date, frequency: s.frequency, entries, manageUrl: sign('manage', s.id, at), unsubscribeUrl,
    topics: describeTopics(s), schedule: describeSchedule(s),
  });
  return { to: s.email, subject: r.subject, html: r.html, text: r.text, messageId: d.messageId, date: at, unsubscribeUrl, list: alerts ? 'alerts' : 'digest' };
}
