// The two emails a subscribe request can cause: "confirm your subscription" (double
// opt-in) and, for an address already subscribed, "you are already subscribed" with a
// link to manage it. Both are written so that someone who never asked can ignore them.

import { randomBytes } from 'node:crypto';
import { button, esc, frame, href } from '../mail/html.js';
import type { OutgoingMail } from '../mail/mailer.js';
import { senderDomain } from '../mail/message.js';
import { describeSchedule, describeTopics, type Preferences } from './preferences.js';

export interface NoticeContext {
  to: string;
  from: string;
  baseUrl: string;
  date: Date;
}

function noticeId(from: string): string {
  return `<notice.${randomBytes(12).toString('hex')}@${senderDomain(from)}>`;
}

function footer(baseUrl: string): string {
  return `You received this because someone entered this address at <a class="pb-link" href="${href(baseUrl)}" style="color: inherit;">${esc(new URL(baseUrl).host)}</a>. If that was not you, ignore this email: nothing will be sent without a confirmation.`;
}

export function confirmationMail(c: NoticeContext & { confirmUrl: string; prefs: Preferences; expiresHours: number }): OutgoingMail {
  const what = `${describeTopics(c.prefs)}, ${describeSchedule(c.prefs)}`;
  const html = frame({
    title: 'Confirm your subscription',
    preheader: 'One click to start receiving trending papers by email.',
    body: `<h1 style="margin: 0 0 12px; font-size: 20px;">Confirm your subscription</h1>
<p style="margin: 0 0 8px;">Please confirm that you want the Paperboy digest of trending research papers at this address.</p>
<p class="pb-muted" style="margin: 0; color: #59636e;">You chose: ${esc(what)}.</p>
${button(c.confirmUrl, 'Confirm my subscription')}
<p class="pb-muted" style="margin: 0; color: #59636e; font-size: 13px;">The link works for ${c.expiresHours} hours. If the button does not work, open this address:<br><a class="pb-link" href="${href(c.confirmUrl)}" style="color: #0b57d0; word-break: break-all;">${esc(c.confirmUrl)}</a></p>`,
    footer: footer(c.baseUrl),
  });
  const text = `Confirm your subscription

Please confirm that you want the Paperboy digest of trending research papers at this address.
You chose: ${what}.

Confirm my subscription:
${c.confirmUrl}

The link works for ${c.expiresHours} hours.

You received this because someone entered this address at ${new URL(c.baseUrl).host}. If that was not you, ignore this email: nothing will be sent without a confirmation.
`;
  return { to: c.to, subject: 'Confirm your Paperboy subscription', html, text, messageId: noticeId(c.from), date: c.date };
}

export function alreadySubscribedMail(c: NoticeContext & { manageUrl: string }): OutgoingMail {
  const html = frame({
    title: 'You are already subscribed',
    preheader: 'Your Paperboy subscription is active; here is the link to change it.',
    body: `<h1 style="margin: 0 0 12px; font-size: 20px;">You are already subscribed</h1>
<p style="margin: 0 0 8px;">Someone asked to subscribe this address to the Paperboy digest, and it already is. Nothing has changed.</p>
<p style="margin: 0;">To change your topics or delivery time, pause or unsubscribe, use your settings page:</p>
${button(c.manageUrl, 'Manage my subscription')}`,
    footer: footer(c.baseUrl),
  });
  const text = `You are already subscribed

Someone asked to subscribe this address to the Paperboy digest, and it already is. Nothing has changed.

To change your topics or delivery time, pause or unsubscribe, use your settings page:
${c.manageUrl}

You received this because someone entered this address at ${new URL(c.baseUrl).host}. If that was not you, ignore this email.
`;
  return { to: c.to, subject: 'Your Paperboy subscription', html, text, messageId: noticeId(c.from), date: c.date };
}
