// The outbox worker: delivers planned digests (and alert emails, src/personal/alerts.ts), each exactly once as far as the outbox
// can know (docs/digest.md). A row is claimed (pending → sending, with a lease naming
// this process) in its own transaction just before its message is handed to the
// server, and marked sent in another right after the server accepts it. A failure is
// sorted by whose it is:
// - the recipient's (5xx for this address or message): failed, counted as a bounce;
// - the moment's (4xx): retried with exponential backoff and jitter, up to maxAttempts;
// - a lost connection: that message is retried (at once the first time in a round, on
//   a new connection; then with backoff) and the round goes on. A message lost after it
//   was handed over may have been delivered: its next copy is flagged (in doubt);
// - the server's or ours (unreachable, connections lost again and again, bad
//   credentials): the row is put back and the whole worker pauses, backing off, instead
//   of burning through every subscriber's attempts while the server is down.
// Rows a crashed process left `sending` are put back when the next run starts. Several
// processes may deliver at once: a claim is one transaction, so each row goes to one.
// A store failure stops the round (the database is unwell: nothing more can be
// recorded), and never turns a sent message back into a pending one.

import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import { describeError, PaperboyError } from '../errors.js';
import type { Logger } from '../logger.js';
import { DeliveryError, isDeliveryError, type Mailer, type OutgoingMail } from '../mail/mailer.js';
import type { Paper } from '../papers/paper.js';
import type { Store } from '../store/store.js';
import type { OutboxRow } from '../store/digest-store.js';
import type { Subscriber } from '../store/subscriber-store.js';
import { maskAddress } from '../subscriptions/address.js';
import type { FeedbackSigner, Links } from '../subscriptions/links.js';
import { digestMail, type LinkSigner } from './message.js';
import { PROCESS_OWNER, ownerIsDead } from './owner.js';
import { pacer } from '../rate-limit.js';
import { isAlertKey } from '../personal/alerts.js';
import { createDigestRenderer } from './render/digest.js';

/**
 * Connections lost one after another, with no message accepted between them, that mean
 * the server is down. With several lanes, each other lane may lose its connection once
 * more while a message that will be accepted is still on its way, so the lanes add to it.
 */
const LOST_IN_A_ROW_PAUSES = 3;

export interface OutboxDeps {
  store: Store;
  mailer: Mailer;
  config: Config;
  logger: Logger;
  links: Links;
  now?: () => Date;
  owner?: string;
  isDead?: (owner: string) => boolean;
  /** Random factor on backoff delays; tests pin it to 1. */
  jitter?: () => number;
}

export interface DeliverySummary {
  sent: number;
  retrying: number;
  failed: number;
  bounced: number;
  /** Digests found `sending` after their sender died, put back to be sent (see docs/digest.md). */
  recovered: number;
  /** Connections lost after a message was handed over: those messages are sent again, flagged (they may arrive twice). */
  inDoubt: number;
  /** Set when delivery stopped because the server could not be used; try again at `until`. */
  paused: { reason: string; until: Date } | null;
}

export interface Outbox {
  deliver(): Promise<DeliverySummary>;
  /** Stops taking new digests; messages in flight finish. */
  stop(): void;
}

export function createOutbox(deps: OutboxDeps): Outbox {
  const { store, mailer, config, logger, links } = deps;
  const now = deps.now ?? (() => new Date());
  const owner = deps.owner ?? PROCESS_OWNER;
  const isDead = deps.isDead ?? ownerIsDead;
  const jitter = deps.jitter ?? (() => 0.8 + Math.random() * 0.4);
  const render = createDigestRenderer({ baseUrl: links.baseUrl });
  const leaseMs = config.mail.smtp.timeoutMs * 6;
  // Bounded: a day's digests share a few thousand papers and editions, not one per message.
  const papers = new LRUCache<string, Paper>({ max: 5000 });
  const editions = new LRUCache<number, Map<string, string>>({ max: 2000 });
  let pauseLevel = 0;
  const lostMeansDown = LOST_IN_A_ROW_PAUSES + Math.max(0, config.mail.concurrency - 1);
  // Connection failures since the last message the server accepted: one is a blip, a few in a row a server that is down.
  let lostInARow = 0;
  let stopped = false;

  const backoff = (attempt: number) => Math.min(config.digest.retryMaxMs, config.digest.retryBaseMs * 2 ** Math.max(0, attempt - 1)) * jitter();

  async function reasonsOf(editionId: number | null): Promise<Map<string, string>> {
    if (editionId === null) return new Map();
    let m = editions.get(editionId);
    if (!m) {
      const e = await store.getEdition(editionId);
      m = new Map((e?.items ?? []).map((i) => [i.paperId, i.why]));
      editions.set(editionId, m);
    }
    return m;
  }

  async function papersOf(ids: string[]): Promise<Paper[]> {
    const found = new Map<string, Paper>();
    const missing: string[] = [];
    for (const id of ids) {
      const p = papers.get(id);
      if (p) found.set(id, p);
      else missing.push(id);
    }
    for (const p of missing.length ? await store.getPapers(missing) : []) {
      papers.set(p.id, p);
      found.set(p.id, p);
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async function compose(row: OutboxRow, s: Subscriber, sign: LinkSigner, feedback: FeedbackSigner, at: Date): Promise<OutgoingMail> {
    const why = await reasonsOf(row.editionId);
    const entries = (await papersOf(row.paperIds)).map((paper) => ({ paper, why: why.get(paper.id) ?? '' }));
    // Alert emails are rows of this outbox too (src/personal/alerts.ts), keyed by their day and content.
    const kind = isAlertKey(row.digestDate) ? 'alerts' : 'digest';
    return digestMail(render, sign, s, { date: row.digestDate.slice(0, 10), messageId: row.messageId, entries, kind }, at, feedback);
  }

  async function deliver(): Promise<DeliverySummary> {
    stopped = false;
    const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0, bounced: 0, recovered: 0, inDoubt: 0, paused: null };
    // Another process's are orphaned once it is gone or its lease ran out. Ours are not in
    // flight between rounds: one left `sending` (sent, but the store failed to record it)
    // is taken back once its lease has run out, so a long-running `serve` recovers it too.
    summary.recovered = await store.recoverDigests(now().toISOString(), (o, expired) => (o === owner ? expired : o === null || expired || isDead(o)));
    if (summary.recovered) logger.warn('digests left in flight by a stopped process are sent again', { count: summary.recovered });
    const sign = await links.signer();
    const feedback = await links.feedbackSigner();
    const limiter = pacer(config.mail.rate);
    const seen = new Set<number>();
    // Rows retried at once after a lost connection, in this round (once each: then backoff).
    const retriedNow = new Set<number>();
    let fatal: unknown = null;

    const pause = (t: Date, e: DeliveryError, reason: string) => {
      const until = new Date(t.getTime() + backoff(++pauseLevel));
      if (!summary.paused) {
        summary.paused = { reason: e.message, until };
        logger.error(e.kind === 'setup' ? 'mail cannot be sent: check the mail settings' : `mail server unavailable (${reason}); delivery paused`,
          { server: mailer.target, reason: e.message, until: until.toISOString() });
      }
      return until;
    };

    async function one(id: number): Promise<void> {
      const at = now();
      const claimed = await store.claimDigest(id, owner, new Date(at.getTime() + leaseMs).toISOString(), at.toISOString());
      if (!claimed) return;
      const { row, subscriber } = claimed;
      let mail: OutgoingMail;
      try {
        mail = await compose(row, subscriber, sign, feedback, at);
      } catch (e) {
        if (e instanceof PaperboyError && e.code === 'store_failure') throw e;
        // A bug or a broken row: keep it for a later try rather than lose the day.
        logger.error('digest could not be composed', { digest: row.id, reason: describeError(e) });
        await store.finishDigest(row.id, { kind: 'retry', error: describeError(e), nextAttemptAt: new Date(at.getTime() + backoff(row.attempts)).toISOString() }, at.toISOString());
        summary.retrying++;
        return;
      }
      await limiter();
      let response: string;
      try {
        response = (await mailer.send(mail)).response;
      } catch (thrown) {
        // Mailers throw DeliveryError; anything else is a bug in one, and whether it sent is unknown.
        const e = isDeliveryError(thrown) ? thrown : new DeliveryError('connection', describeError(thrown), undefined, { inDoubt: true });
        await failed(row, subscriber, e);
        return;
      }
      // The server has the message. If this cannot be recorded the row stays `sending`
      // under our lease and the next run sends it again, flagged (the first ambiguous
      // case of docs/digest.md); it is never put back as if nothing had been sent.
      try {
        await store.finishDigest(row.id, { kind: 'sent', response }, now().toISOString());
      } catch (e) {
        logger.error('a digest was sent but could not be recorded as sent; the next run sends it again, flagged as recovered',
          { digest: row.id, to: maskAddress(subscriber.email), reason: describeError(e) });
        throw e;
      }
      summary.sent++;
      pauseLevel = 0;
      lostInARow = 0;
    }

    async function failed(row: OutboxRow, subscriber: Subscriber, e: DeliveryError): Promise<void> {
      const error = e.message;
      const t = now();
      const finish = (outcome: Parameters<Store['finishDigest']>[1]) => store.finishDigest(row.id, outcome, t.toISOString());
      if (e.kind === 'recipient') {
        await finish({ kind: 'failed', error, bounce: true, bounceThreshold: config.digest.bounceThreshold });
        summary.failed++;
        summary.bounced++;
        logger.warn('digest refused for this address', { to: maskAddress(subscriber.email), reason: error });
      } else if (e.kind === 'temporary' && row.attempts >= config.digest.maxAttempts) {
        await finish({ kind: 'failed', error: `gave up after ${row.attempts} attempts: ${error}`, bounce: false, bounceThreshold: config.digest.bounceThreshold });
        summary.failed++;
        logger.warn('digest given up after repeated temporary failures', { to: maskAddress(subscriber.email), attempts: row.attempts, reason: error });
      } else if (e.kind === 'temporary') {
        await finish({ kind: 'retry', error, nextAttemptAt: new Date(t.getTime() + backoff(row.attempts)).toISOString() });
        summary.retrying++;
      } else {
        // The connection (or our setup): not the subscriber's fault, nothing counted against them.
        lostInARow += e.kind === 'connection' ? 1 : 0;
        if (e.inDoubt) {
          summary.inDoubt++;
          logger.warn('connection lost after a digest was handed over: it is sent again and may arrive twice (flagged)',
            { digest: row.id, to: maskAddress(subscriber.email), reason: error });
        }
        let next: Date;
        if (e.kind === 'setup' || e.unreachable) next = pause(t, e, 'unreachable');
        else if (lostInARow >= lostMeansDown) next = pause(t, e, `${lostInARow} connections lost in a row`);
        else if (!retriedNow.has(row.id)) {
          // A blip: again at once, on a new connection, in this round.
          retriedNow.add(row.id);
          seen.delete(row.id);
          next = t;
        } else next = new Date(t.getTime() + backoff(row.attempts));
        await finish({ kind: 'retry', error, nextAttemptAt: next.toISOString(), inDoubt: e.inDoubt });
        if (next > t) summary.retrying++;
      }
    }

    while (!stopped && !summary.paused) {
      const ids = (await store.readyDigests(now().toISOString(), 1000)).filter((id) => !seen.has(id));
      if (!ids.length) break;
      for (const id of ids) seen.add(id);
      let next = 0;
      // `concurrency` lanes each take the next id: as many messages in flight as pooled connections.
      const lane = async () => {
        while (!stopped && !summary.paused && next < ids.length) {
          try {
            await one(ids[next++]!);
          } catch (e) {
            // The store failed: stop taking digests; the other lanes finish what they hold.
            fatal ??= e;
            stopped = true;
          }
        }
      };
      await Promise.all(Array.from({ length: config.mail.concurrency }, lane));
    }
    if (fatal) throw fatal;
    return summary;
  }

  return {
    deliver,
    stop() {
      stopped = true;
    },
  };
}
