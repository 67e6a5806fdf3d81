// DKIM signing, on when a key file, a selector and a domain are configured. The key is
// read once at start: a missing or unreadable key stops the program with a clear message
// rather than sending unsigned mail that the domain's DMARC policy would reject.

import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DKIMOptions } from 'nodemailer';
import type { Config } from '../config.js';
import { PaperboyError } from '../errors.js';

export function dkimOptions(config: Config): DKIMOptions | undefined {
  const { keyFile, selector, domain } = config.mail.dkim;
  if (!keyFile || !selector || !domain) return undefined;
  let privateKey: string;
  try {
    privateKey = readFileSync(keyFile, 'utf8');
    createPrivateKey(privateKey); // fails now, not at the first message, on a malformed key
  } catch (e) {
    // The message names the file, never its contents.
    throw new PaperboyError('bad_config', `Cannot use the DKIM key file ${keyFile}: ${(e as Error).message.split('\n')[0]}`);
  }
  return {
    domainName: domain,
    keySelector: selector,
    privateKey,
    // The defaults plus the one-click header, which Gmail wants covered by the signature.
    headerFieldNames: 'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:List-Id:List-Unsubscribe:List-Unsubscribe-Post',
  };
}
