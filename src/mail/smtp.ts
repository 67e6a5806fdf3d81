// SMTP through nodemailer's pooled transport: a few long-lived connections carry many
// messages each. nodemailer's own requeueing of a message whose connection dropped is
// turned off: whether to try again is the outbox's decision, made with what it knows
// (a retry count, a backoff, the exactly-once rules in docs/digest.md).

import nodemailer, { type SMTPPoolOptions } from 'nodemailer';
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

export function createSmtpMailer(config: Config, settings: MessageSettings): Mailer {
  const transport = nodemailer.createTransport(smtpOptions(config) as SMTPPoolOptions & { pool: true });
  return {
    kind: 'smtp',
    target: describeSmtp(config),
    async send(mail: OutgoingMail) {
      try {
        const info = await transport.sendMail(toNodemailer(mail, settings));
        // A server can accept the envelope and still refuse the one recipient.
        if (info.rejected?.length) throw Object.assign(new Error(`recipient refused: ${String(info.response)}`), { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' });
        return { response: String(info.response ?? '') };
      } catch (e) {
        throw classifySmtpError(e);
      }
    },
    async close() {
      transport.close();
    },
  };
}
