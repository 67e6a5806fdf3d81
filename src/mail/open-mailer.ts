// Picks the transport from the configuration: SMTP when a server is configured, else
// .eml files under dataDir/mail.

import type { Config } from '../config.js';
import { createFileMailer } from './eml-files.js';
import type { Mailer } from './mailer.js';
import { messageSettings } from './message.js';
import { createSmtpMailer, hasSmtp } from './smtp.js';

export function openMailer(config: Config): Mailer {
  const settings = messageSettings(config);
  return hasSmtp(config) ? createSmtpMailer(config, settings) : createFileMailer(config, settings);
}
