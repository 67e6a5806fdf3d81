// From an OutgoingMail to nodemailer's message options: the headers every message
// carries (From, Reply-To, Date, Message-ID) and, on digests, the list headers mailbox
// providers look for (List-Id, List-Unsubscribe with RFC 8058 one-click). nodemailer
// writes and encodes the headers; values here never contain line breaks.

import type { SendMailOptions } from 'nodemailer';
import type { Config } from '../config.js';
import type { OutgoingMail } from './mailer.js';

export interface MessageSettings {
  from: string;
  replyTo?: string | undefined;
  listUnsubscribeMailto?: string | undefined;
}

export function messageSettings(config: Config): MessageSettings {
  return { from: config.mail.from, replyTo: config.mail.replyTo, listUnsubscribeMailto: config.mail.listUnsubscribeMailto };
}

/** The domain of the From address: Message-IDs and the List-Id live under it. */
export function senderDomain(from: string): string {
  const m = /@([^\s<>@]+?)>?\s*$/.exec(from);
  return (m?.[1] ?? 'localhost').toLowerCase();
}

const oneLine = (s: string) => s.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();

export function toNodemailer(mail: OutgoingMail, s: MessageSettings): SendMailOptions {
  const headers: Record<string, string> = {};
  const options: SendMailOptions = {
    from: s.from,
    to: mail.to,
    subject: oneLine(mail.subject),
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    date: mail.date,
    headers,
    // Keeps envelope and header recipients identical and single.
    envelope: { from: addressOnly(s.from), to: [mail.to] },
    // Quoted-printable keeps lines short (some servers cut lines over 998 bytes).
    textEncoding: 'quoted-printable',
  };
  if (s.replyTo) options.replyTo = s.replyTo;
  if (mail.list) {
    const domain = senderDomain(s.from);
    options.list = { id: { url: `${mail.list}.${domain}`, comment: mail.list === 'alerts' ? 'Paperboy alerts' : 'Paperboy digest' } };
    if (mail.unsubscribeUrl) {
      const targets = [`<${mail.unsubscribeUrl}>`];
      // The subject carries the signed token, so whoever processes that mailbox knows whom to remove.
      const token = new URL(mail.unsubscribeUrl).searchParams.get('t') ?? '';
      if (s.listUnsubscribeMailto) targets.push(`<mailto:${s.listUnsubscribeMailto}?subject=unsubscribe%20${encodeURIComponent(token)}>`);
      headers['List-Unsubscribe'] = targets.join(', ');
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
  }
  return options;
}

function addressOnly(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  return (m?.[1] ?? from).trim();
}
