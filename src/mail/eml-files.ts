// Without an SMTP server, mail is written as .eml files (one message each, openable in
// any mail program) under dataDir/mail/YYYY-MM-DD/, so a first-time user sees exactly
// what would be sent. A file is named after its Message-ID and written whole (temporary
// file, then rename), so a retried message replaces its earlier copy instead of adding one.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import { dkimOptions } from './dkim.js';
import { DeliveryError, type Mailer, type OutgoingMail } from './mailer.js';
import { toNodemailer, type MessageSettings } from './message.js';

export function mailDirectory(config: Config): string {
  return path.join(config.dataDir, 'mail');
}

export function createFileMailer(config: Config, settings: MessageSettings): Mailer {
  const dir = mailDirectory(config);
  const dkim = dkimOptions(config);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', ...(dkim ? { dkim } : {}) });
  return {
    kind: 'files',
    target: dir,
    async send(mail: OutgoingMail) {
      const day = mail.date.toISOString().slice(0, 10);
      const name = mail.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 150);
      const file = path.join(dir, day, `${name}.eml`);
      try {
        const info = await transport.sendMail(toNodemailer(mail, settings));
        await mkdir(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, info.message as Buffer);
        await rename(tmp, file);
      } catch (e) {
        // A full disk or a read-only directory: nothing can be written until it is fixed.
        throw new DeliveryError('setup', `cannot write ${file}: ${(e as Error).message}`, undefined, { cause: e });
      }
      return { response: `written to ${file}` };
    },
    async close() {},
  };
}
