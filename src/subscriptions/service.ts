// Subscriptions as the web pages and the CLI use them: subscribe (double opt-in),
// confirm, manage, unsubscribe, and the operator's add/remove. Decisions are pure
// functions (subscribe.ts, confirm.ts, manage.ts) run inside one store transaction; this
// module checks links, sends the notices and logs without ever writing an address whole.

import type { Config } from '../config.js';
import { describeError, isPaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { isDeliveryError, type Mailer, type OutgoingMail } from '../mail/mailer.js';
import type { AlertSettings } from '../store/alert-store.js';
import type { Store } from '../store/store.js';
import type { Consent, Subscriber } from '../store/subscriber-store.js';
import { maskAddress } from './address.js';
import { decideConfirm } from './confirm.js';
import { createLinks, type Links } from './links.js';
import { decideManage, type ManageAction } from './manage.js';
import { alreadySubscribedMail, confirmationMail } from './notices.js';
import type { Preferences } from './preferences.js';
import { decideSubscribe, type Notice } from './subscribe.js';
import { nextSlot } from '../digest/slots.js';

export interface SubscriptionsDeps {
  store: Store;
  mailer: Mailer;
  config: Config;
  logger: Logger;
  now?: () => Date;
  /** Pauses between notice retries (tests shorten them). */
  noticeRetryMs?: number[];
}

/** Why a link did not work, for a clear page: never "something went wrong". */
export type LinkFailure = 'malformed' | 'forged' | 'expired' | 'used' | 'unknown' | 'pending';
export type LinkResult<T> = { ok: true; value: T } | { ok: false; reason: LinkFailure };

export type AddResult = 'added' | 'confirmation-sent' | 'exists' | 'refused' | 'limited';

export interface Subscriptions {
  links: Links;
  /** The clock links are checked against. */
  now(): Date;
  /** The form's defaults when the subscriber does not choose. */
  defaults: { hour: number; timeZone: string };
  /** Subscribe requests accepted per client address per hour. */
  requestsPerHourPerIp: number;
  /**
   * Queues a subscribe request: it is decided and its email sent after the caller's answer
   * (`notice` settles with the decision, `sent` when the email has gone or failed), so the
   * answer takes the same time whether the address is new, known or over its limit.
   */
  request(email: string, prefs: Preferences): { notice: Promise<Notice | null>; sent: Promise<void> };
  /** Whether a confirmation link would work, changing nothing (the page shows a button; link scanners only GET). */
  checkConfirm(token: unknown): Promise<LinkResult<Subscriber>>;
  confirm(token: unknown): Promise<LinkResult<Subscriber>>;
  /** The subscriber a manage, unsubscribe or alerts-off link is for, changing nothing (for GET pages). */
  open(purpose: 'manage' | 'unsubscribe' | 'alerts-off', token: unknown): Promise<LinkResult<Subscriber>>;
  /** Turns alert emails on or off: any way with the manage link; only off with an alert email's `alerts-off` link. */
  setAlerts(purpose: 'manage' | 'alerts-off', token: unknown, settings: Partial<AlertSettings>): Promise<LinkResult<AlertSettings>>;
  manage(purpose: 'manage' | 'unsubscribe', token: unknown, action: ManageAction): Promise<LinkResult<{ subscriber: Subscriber; changed: boolean }>>;
  /** The operator adds an address; `confirmed` asserts consent was obtained elsewhere. */
  add(email: string, prefs: Preferences, opts: { confirmed: boolean; consent: Consent }): Promise<AddResult>;
  /** Unsubscribes (kept, so imports cannot bring the address back), or erases every trace. */
  remove(email: string, opts: { erase: boolean }): Promise<boolean>;
  expireUnconfirmed(): Promise<number>;
  /** Resolves when every notice started so far has been sent or given up. */
  idle(): Promise<void>;
}

/** Retries of a subscribe request's decision while the store stays busy (1 s, 2 s, … 60 s apart). */
const STORE_RETRIES = 14;

export function createSubscriptions(deps: SubscriptionsDeps): Subscriptions {
  const { store, mailer, config, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const links = createLinks(store, config);
  const retryMs = deps.noticeRetryMs ?? [2_000, 15_000];
  const inFlight = new Set<Promise<void>>();
  const rules = { confirmationHours: config.digest.confirmationHours, noticesPerDay: config.digest.noticesPerDayPerAddress };

  async function compose(notice: Notice, s: Subscriber): Promise<OutgoingMail> {
    const base = { to: s.email, from: config.mail.from, baseUrl: links.baseUrl, date: now() };
    if (notice === 'confirm') {
      return confirmationMail({ ...base, confirmUrl: await links.confirmUrl(s), prefs: s, expiresHours: config.digest.confirmationHours });
    }
    return alreadySubscribedMail({ ...base, manageUrl: await links.manageUrl(s, now()) });
  }

  /** A few tries over a few seconds; a notice lost after that is re-requested by its reader. */
  async function deliver(notice: Notice, s: Subscriber): Promise<void> {
    const mail = await compose(notice, s);
    for (let attempt = 0; ; attempt++) {
      try {
        await mailer.send(mail);
        logger.info('subscription email sent', { kind: notice, to: maskAddress(s.email) });
        return;
      } catch (e) {
        if ((isDeliveryError(e) && e.kind === 'recipient') || attempt >= retryMs.length) {
          logger.warn('subscription email not sent', { kind: notice, to: maskAddress(s.email), reason: describeError(e) });
          return;
        }
        await new Promise((r) => setTimeout(r, retryMs[attempt]));
      }
    }
  }

  /** Resolves in the event loop's next check phase: after the current request's answer has been written. */
  function afterAnswer(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Runs a store call again after a pause while the store fails (busy, locked), for up to about 10 minutes. */
  async function whenStoreFree<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (e) {
        if (!isPaperboyError(e) || e.code !== 'store_failure' || attempt >= STORE_RETRIES) throw e;
        logger.warn('the database is busy; the subscribe request will be applied when it is free', { attempt: attempt + 1, reason: describeError(e) });
        await new Promise((resolve) => setTimeout(resolve, Math.min(60_000, 1000 * 2 ** attempt)));
      }
    }
  }

  function track(p: Promise<void>): Promise<void> {
    const t = p.catch((e: unknown) => logger.error('subscribe request or its email failed', { reason: describeError(e) })).finally(() => inFlight.delete(t));
    inFlight.add(t);
    return t;
  }

  async function checked(purpose: 'confirm' | 'manage' | 'unsubscribe' | 'alerts-off', token: unknown) {
    return links.verify(purpose, token, now());
  }

  return {
    links,
    now,
    defaults: { hour: config.digest.defaultHour, timeZone: config.digest.defaultTimeZone },
    requestsPerHourPerIp: config.digest.subscribesPerHourPerIp,
    request(email, prefs) {
      const at = now();
      // Nothing of the request runs before the caller's answer is written: not the store's
      // decision (an insert for a new address, an update for a known one) nor the email
      // (signing, composing, sending). Done inline, a new address's answer was measurably
      // slower than a known one's, which told them apart.
      // The answer promised an email: a database that stays busy for a while (the store
      // already waits for other writers) delays the decision rather than losing it.
      const notice = afterAnswer()
        .then(() => whenStoreFree(() => store.changeSubscriber({ email }, (current) => decideSubscribe(current, email, prefs, at, rules))))
        .then((d) => d.notice);
      notice.catch(() => undefined); // reported through `sent`; a web caller never reads `notice`
      const sent = track(notice.then(async (n) => {
        if (!n) {
          logger.info('subscribe request over the per-address limit; no email sent', { to: maskAddress(email) });
          return;
        }
        const subscriber = await store.findSubscriber(email);
        if (subscriber) await deliver(n, subscriber);
      }));
      return { notice, sent };
    },

    async checkConfirm(token) {
      const t = await checked('confirm', token);
      if (!t.ok) return t;
      const s = await store.getSubscriber(t.claims.subscriberId);
      if (!s) return { ok: false, reason: 'unknown' };
      if (s.status !== 'pending' || s.confirmNonce !== t.claims.nonce) return { ok: false, reason: 'used' };
      return { ok: true, value: s };
    },

    async confirm(token) {
      const t = await checked('confirm', token);
      if (!t.ok) return t;
      const r = await store.changeSubscriber({ id: t.claims.subscriberId }, (current) => decideConfirm(current, t.claims, now()));
      if (!r.ok) return r;
      logger.info('subscription confirmed', { to: maskAddress(r.subscriber.email) });
      return { ok: true, value: r.subscriber };
    },

    async open(purpose, token) {
      const t = await checked(purpose, token);
      if (!t.ok) return t;
      const s = await store.getSubscriber(t.claims.subscriberId);
      return s ? { ok: true, value: s } : { ok: false, reason: 'unknown' };
    },

    async manage(purpose, token, action) {
      const t = await checked(purpose, token);
      if (!t.ok) return t;
      // An unsubscribe link can only unsubscribe; settings need the manage link.
      if (purpose === 'unsubscribe' && action.kind !== 'unsubscribe') return { ok: false, reason: 'forged' };
      const r = await store.changeSubscriber({ id: t.claims.subscriberId }, (current) => decideManage(current, action, now()));
      if (!r.ok) return r;
      if (r.changed) logger.info('subscription changed', { action: action.kind, to: maskAddress(r.subscriber.email) });
      return { ok: true, value: { subscriber: r.subscriber, changed: r.changed } };
    },

    async setAlerts(purpose, token, settings) {
      const t = await checked(purpose, token);
      if (!t.ok) return t;
      // The link in an alert email's footer and List-Unsubscribe header can only turn alerts off.
      if (purpose === 'alerts-off' && Object.values(settings).some(Boolean)) return { ok: false, reason: 'forged' };
      const id = t.claims.subscriberId;
      if (!(await store.setAlertSettings(id, settings, now().toISOString()))) return { ok: false, reason: 'unknown' };
      logger.info('alert settings changed', { subscriber: id, ...settings });
      return { ok: true, value: await store.alertSettings(id) };
    },

    async add(email, prefs, opts) {
      if (!opts.confirmed) {
        const queued = this.request(email, prefs);
        const notice = await queued.notice;
        await queued.sent;
        return notice === 'confirm' ? 'confirmation-sent' : notice === null ? 'limited' : 'exists';
      }
      const stamp = now();
      return store.changeSubscriber({ email }, (current) => {
        if (current && (current.status === 'active' || current.status === 'paused')) return { result: 'exists' as AddResult };
        // Someone who left, or whose address bounced, is not brought back by an operator's list.
        if (current && (current.status === 'unsubscribed' || current.status === 'bouncing')) return { result: 'refused' as AddResult };
        return {
          result: 'added' as AddResult,
          set: {
            ...prefs, email, status: 'active', consent: opts.consent, confirmNonce: null, confirmExpiresAt: null,
            confirmedAt: stamp.toISOString(), updatedAt: stamp.toISOString(), nextDueAt: nextSlot(prefs, stamp).at.toISOString(),
            ...(current ? {} : { createdAt: stamp.toISOString() }),
          },
        };
      });
    },

    async remove(email, opts) {
      return store.changeSubscriber({ email }, (current) => {
        if (!current) return { result: false };
        if (opts.erase) return { result: true, remove: true };
        const r = decideManage(current, { kind: 'unsubscribe' }, now());
        return { result: true, set: r.set };
      });
    },

    async expireUnconfirmed() {
      return store.expireUnconfirmed(now().toISOString());
    },

    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}
