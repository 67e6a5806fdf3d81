// The one way Paperboy sends mail, whatever carries it: an SMTP server, or .eml files
// for a first look. Failures come back classified, because what happens next depends on
// whose fault it was: the recipient's (a bounce), the moment's (retry later), or ours (a
// configuration problem: stop and say so, and blame no subscriber).

import { maskAddresses } from '../subscriptions/address.js';

export interface OutgoingMail {
  /** One address that passed checkAddress(): nothing else can reach a header. */
  to: string;
  subject: string;
  html: string;
  text: string;
  /** `<unique@domain>`: the same on every attempt of the same message. */
  messageId: string;
  date: Date;
  /** RFC 8058 one-click unsubscribe URL (also the List-Unsubscribe https link). */
  unsubscribeUrl?: string;
  /** Sent for a mailing list (`digest`, or `alerts`: a subscriber's alert emails), not as a one-off notice; names its List-Id. */
  list?: 'digest' | 'alerts';
}

export interface Mailer {
  readonly kind: 'smtp' | 'files';
  /** Where mail goes, for logs and messages: host:port or a directory; never credentials. */
  readonly target: string;
  send(mail: OutgoingMail): Promise<{ response: string }>;
  /** Ends pooled connections once in-flight messages are done. */
  close(): Promise<void>;
}

/**
 * - `recipient`: the server refused this recipient or message for good (5xx): counts as a bounce.
 * - `temporary`: refused for now (4xx): try this message again later.
 * - `connection`: the server could not be reached or dropped us: nothing can be sent right now.
 * - `setup`: our side is wrong (authentication, sender refused): nothing can be sent until fixed.
 */
export type FailureKind = 'recipient' | 'temporary' | 'connection' | 'setup';

export interface DeliveryErrorOptions extends ErrorOptions {
  /**
   * The connection was lost after the message had been handed to the server and before
   * its reply: the server may have accepted it (docs/digest.md, the second ambiguous case).
   */
  inDoubt?: boolean;
  /** The server could not be reached at all (refused, unknown host, 421 at the greeting): it is down, not one message's problem. */
  unreachable?: boolean;
}

export class DeliveryError extends Error {
  readonly kind: FailureKind;
  readonly responseCode: number | undefined;
  readonly inDoubt: boolean;
  readonly unreachable: boolean;
  constructor(kind: FailureKind, message: string, responseCode?: number, options: DeliveryErrorOptions = {}) {
    super(message, options);
    this.name = 'DeliveryError';
    this.kind = kind;
    this.responseCode = responseCode;
    this.inDoubt = options.inDoubt ?? false;
    this.unreachable = options.unreachable ?? false;
  }
}

export function isDeliveryError(e: unknown): e is DeliveryError {
  return e instanceof DeliveryError;
}

interface SmtpErrorShape { code?: string; originalCode?: string; responseCode?: number; command?: string; response?: string; message?: string }

/** Socket errors that mean nobody answered at that address. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/**
 * Sorts a nodemailer error into the kinds above. `handedOver`: whether any of the
 * message had been given to the connection (after the server's 354 to DATA) when it
 * failed; a connection lost before that cannot have delivered it.
 */
export function classifySmtpError(e: unknown, handedOver = false): DeliveryError {
  const err = (e ?? {}) as SmtpErrorShape;
  const rc = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const command = (err.command ?? '').toUpperCase();
  // The server's words, one line, with any address in them masked: they end up in logs
  // (and no `cause`, which describeError would print raw).
  const detail = maskAddresses((err.response ?? err.message ?? String(e)).replace(/[\r\n]+/g, ' ')).slice(0, 300);
  if (rc !== undefined && rc >= 500) {
    const aboutRecipient = err.code === 'EENVELOPE' || err.code === 'EMESSAGE' || /RCPT|DATA/.test(command);
    return new DeliveryError(aboutRecipient ? 'recipient' : 'setup', detail, rc);
  }
  if (rc !== undefined && rc >= 400) {
    // 421 closes the connection ("service not available"): the server, not this message.
    // A reply, even a refusal, means the server did not take the message: never in doubt.
    const server = rc === 421 || /CONN|GREETING|EHLO|HELO/.test(command);
    return new DeliveryError(server ? 'connection' : 'temporary', detail, rc, { unreachable: server && !handedOver });
  }
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH' || err.code === 'ETLS') return new DeliveryError('setup', detail, rc);
  // No reply at all: the connection was refused, timed out or dropped.
  const unreachable = !handedOver && UNREACHABLE.has(err.originalCode ?? err.code ?? '');
  return new DeliveryError('connection', detail, rc, { inDoubt: handedOver, unreachable });
}
