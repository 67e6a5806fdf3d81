// Email addresses, the one validator for all of them: as subscribers type them, checked
// strictly enough that nothing but one plain address can ever reach a mail header (no
// display names, comments, quotes, line breaks or second recipients), and normalised so
// one mailbox is one subscriber; and as the operator configures them (the sender, the
// contact and unsubscribe addresses), where a `Name <address>` mailbox and a local
// domain such as `localhost` are fine.

import { domainToASCII } from 'node:url';

export type AddressCheck = { ok: true; email: string } | { ok: false; reason: string };

export const MAX_ADDRESS_LENGTH = 254;
// RFC 5322 dot-atom characters for the local part; quoted local parts are refused.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * The address in the form it is stored and compared: trimmed, lowercased (mail systems
 * treat the local part case-insensitively in practice), the domain in ASCII (punycode).
 */
export function checkAddress(input: unknown, opts: { localDomain?: boolean } = {}): AddressCheck {
  if (typeof input !== 'string') return { ok: false, reason: 'Enter an email address.' };
  const raw = input.trim();
  if (raw === '') return { ok: false, reason: 'Enter an email address.' };
  if (raw.length > MAX_ADDRESS_LENGTH) return { ok: false, reason: `An email address has at most ${MAX_ADDRESS_LENGTH} characters.` };
  // Control characters (CR, LF, NUL …), spaces, angle brackets, commas: header injection or several recipients.
  if (/[\s\x00-\x1f\x7f<>,;:"()[\]\\]/.test(raw)) return { ok: false, reason: 'That does not look like an email address (it contains spaces or punctuation addresses do not have).' };
  const at = raw.lastIndexOf('@');
  if (at <= 0 || at === raw.length - 1 || raw.indexOf('@') !== at) return { ok: false, reason: 'An email address looks like name@example.org.' };
  const local = raw.slice(0, at);
  if (local.length > 64 || !LOCAL.test(local)) return { ok: false, reason: 'The part before the @ is not valid in an email address.' };
  const domain = domainToASCII(raw.slice(at + 1).toLowerCase().replace(/\.$/, ''));
  const labels = domain.split('.');
  const oneLabel = opts.localDomain && labels.length === 1;
  if (!domain || domain.length > 253 || !labels.every((l) => LABEL.test(l)) || (!oneLabel && (labels.length < 2 || !TLD.test(labels.at(-1)!)))) {
    return { ok: false, reason: 'The part after the @ is not a valid domain name.' };
  }
  const email = `${local.toLowerCase()}@${domain}`;
  if (email.length > MAX_ADDRESS_LENGTH) return { ok: false, reason: `An email address has at most ${MAX_ADDRESS_LENGTH} characters.` };
  return { ok: true, email };
}

/**
 * A mailbox as in a From header, for the configuration: `addr@host` or `Display Name
 * <addr@host>` on one line; the address part is checked as above (a local domain allowed).
 */
export function checkMailbox(input: string): AddressCheck {
  if (input.length > 320 || /[\r\n]/.test(input)) return { ok: false, reason: 'must be one line of at most 320 characters' };
  const named = /^([^<>"]*)<([^<>]*)>\s*$/.exec(input);
  return checkAddress(named ? named[2] : input, { localDomain: true });
}

/** For logs: enough to tell addresses apart when debugging delivery, not the address. */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '***';
  return `${email.slice(0, 1)}***@${email.slice(at + 1)}`;
}

/** Text (e.g. a mail server's reply) with every address in it masked, for logs. */
export function maskAddresses(text: string): string {
  return text.replace(/[^\s<>()[\]",;:@]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, (a) => maskAddress(a));
}
