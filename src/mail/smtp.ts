// SMTP through nodemailer's pooled transport: a few long-lived connections carry many
// messages each. nodemailer's own requeueing of a message whose connection dropped is
// turned off: whether to try again is the outbox's decision, made with what it knows
// (a retry count, a backoff, the exactly-once rules in docs/digest.md). When a
// connection is lost, what matters is whether the message had been handed over: before
// the server's 354 to DATA nothing was sent and it cannot have been delivered; after it,
// the server may have stored the message and died before saying 250 (in doubt).

import nodemailer, { type SendMailOptions, type SMTPPoolOptions } from 'nodemailer';
import type { Config } from '../config.js';
import { dkimOptions } from './dkim.js';
import { classifySmtpError, type Mailer, type OutgoingMail } from './mailer.js';
import { toNodemailer, type MessageSettings } from './message.js';

export function smtpOptions(config: Config): SMTPPoolOptions {
  const smtp = config.mail.smtp;
  const opts: SMTPPoolOptions = {
    pool: true,
    maxConnections: config.mail.concurrency,
    maxMessages: 1000,
    maxRequeues: 0,
    connectionTimeout: smtp.timeoutMs,
    greetingTimeout: smtp.timeoutMs,
    socketTimeout: smtp.timeoutMs * 2,
  };
  if (smtp.url) (opts as SMTPPoolOptions & { url: string }).url = smtp.url;
  if (smtp.host) opts.host = smtp.host;
  if (smtp.port) opts.port = smtp.port;
  if (smtp.secure !== undefined) opts.secure = smtp.secure;
  if (smtp.user !== undefined || smtp.pass !== undefined) opts.auth = { user: smtp.user ?? '', pass: smtp.pass ?? '' };
  const dkim = dkimOptions(config);
  if (dkim) opts.dkim = dkim;
  return opts;
}

/** host:port for logs, from the URL or the host keys; never the user or password. */
export function describeSmtp(config: Config): string {
  const smtp = config.mail.smtp;
  let host = smtp.host;
  let port = smtp.port;
  if (smtp.url) {
    try {
      const u = new URL(smtp.url);
      host ??= u.hostname;
      port ??= u.port ? Number(u.port) : undefined;
    } catch {
      // A malformed URL is reported when the first connection fails.
    }
  }
  return `${host ?? 'localhost'}:${port ?? (smtp.secure ? 465 : 587)}`;
}

export function hasSmtp(config: Config): boolean {
  return Boolean(config.mail.smtp.url || config.mail.smtp.host);
}

/** Where a message's stream is kept while it is sent (a key of nodemailer's message data). */
const HANDOVER = 'paperboyHandover';
interface Handover { stream: { readableDidRead: boolean } | null }

export function createSmtpMailer(config: Config, settings: MessageSettings): Mailer {
  const transport = nodemailer.createTransport(smtpOptions(config) as SMTPPoolOptions & { pool: true });
  // The pool makes the message's stream just before MAIL FROM and reads it only after the
  // server's 354 to DATA (nodemailer's own test for "not a byte was sent" is this one).
  transport.use('stream', (m, done) => {
    const handover = (m.data as Record<string, unknown>)[HANDOVER] as Handover | undefined;
    const message = m.message as unknown as { createReadStream(o?: unknown): Handover['stream'] };
    if (handover) {
      const create = message.createReadStream.bind(message);
      message.createReadStream = (o?: unknown) => (handover.stream = create(o));
    }
    done();
  });
  return {
    kind: 'smtp',
    target: describeSmtp(config),
    async send(mail: OutgoingMail) {
      const handover: Handover = { stream: null };
      try {
        const info = await transport.sendMail({ ...toNodemailer(mail, settings), [HANDOVER]: handover } as SendMailOptions);
        // A server can accept the envelope and still refuse the one recipient.
        if (info.rejected?.length) throw Object.assign(new Error(`recipient refused: ${String(info.response)}`), { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' });
        return { response: String(info.response ?? '') };
      } catch (e) {
        throw classifySmtpError(e, handover.stream?.readableDidRead ?? false);
      }
    },
    async close() {
      transport.close();
    },
  };
}
