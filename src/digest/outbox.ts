// The outbox worker: delivers planned digests, each exactly once as far as the outbox
// can know (docs/digest.md). A row is claimed (pending → sending, with a lease naming
// this process) in its own transaction just before its message is handed to the
// server, and marked sent in another right after the server accepts it. A failure is
// sorted by whose it is:
// - the recipient's (5xx for this address or message): failed, counted as a bounce;
// - the moment's (4xx): retried with exponential backoff and jitter, up to maxAttempts;
// - the server's or ours (unreachable, dropped connection, bad credentials): the row
//   is put back and the whole worker pauses, backing off, instead of burning through
//   every subscriber's attempts while the server is down.
// Rows a crashed process left `sending` are put back when the next run starts.

import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Mailer, OutgoingMail } from '../mail/mailer.js';
import type { Paper } from '../papers/paper.js';
import type { Store } from '../store/store.js';
import type { OutboxRow, Subscriber } from '../store/subscription-store.js';
import { maskAddress } from '../subscriptions/address.js';
import type { Links } from '../subscriptions/links.js';
import { digestMail, type LinkSigner } from './message.js';
import { PROCESS_OWNER, ownerIsDead } from './owner.js';
import { pacer } from '../rate-limit.js';
import { createDigestRenderer } from './render/digest.js';

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

  async function compose(row: OutboxRow, s: Subscriber, sign: LinkSigner, at: Date): Promise<OutgoingMail> {
    const why = await reasonsOf(row.editionId);
    const entries = (await papersOf(row.paperIds)).map((paper) => ({ paper, why: why.get(paper.id) ?? '' }));
    return digestMail(render, sign, s, { date: row.digestDate, messageId: row.messageId, entries }, at);
  }

  async function deliver(): Promise<DeliverySummary> {
    stopped = false;
    const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0, bounced: 0, recovered: 0, paused: null };
    // Ours are in flight right here; another process's are orphaned once it is gone or its lease ran out.
    summary.recovered = await store.recoverDigests(now().toISOString(), (o, expired) => o !== owner && (o === null || expired || isDead(o)));
    if (summary.recovered) logger.warn('digests left in flight by a stopped process are sent again', { count: summary.recovered });
    const sign = await links.signer();
    const limiter = pacer(config.mail.rate);
    const seen = new Set<number>();

    async function one(id: number): Promise<void> {
      const at = now();
      const claimed = await store.claimDigest(id, owner, new Date(at.getTime() + leaseMs).toISOString(), at.toISOString());
      if (!claimed) return;
      const { row, subscriber } = claimed;
      let mail: OutgoingMail;
      try {
        mail = await compose(row, subscriber, sign, at);
      } catch (e) {
        // A bug or a broken row: keep it for a later try rather than lose the day.
        logger.error('digest could not be composed', { digest: row.id, reason: describeError(e) });
        await store.finishDigest(row.id, { kind: 'retry', error: describeError(e), nextAttemptAt: new Date(at.getTime() + backoff(row.attempts)).toISOString() }, at.toISOString());
        summary.retrying++;
        return;
      }
      await limiter();
      try {
        const r = await mailer.send(mail);
        await store.finishDigest(row.id, { kind: 'sent', response: r.response }, now().toISOString());
        summary.sent++;
        pauseLevel = 0;
      } catch (e) {
        const kind = (e as { kind?: string }).kind ?? 'connection';
        const error = describeError(e);
        const t = now();
        if (kind === 'recipient') {
          await store.finishDigest(row.id, { kind: 'failed', error, bounce: true, bounceThreshold: config.digest.bounceThreshold }, t.toISOString());
          summary.failed++;
          summary.bounced++;
          logger.warn('digest refused for this address', { to: maskAddress(subscriber.email), reason: error });
        } else if (kind === 'temporary' && row.attempts >= config.digest.maxAttempts) {
          await store.finishDigest(row.id, { kind: 'failed', error: `gave up after ${row.attempts} attempts: ${error}`, bounce: false, bounceThreshold: config.digest.bounceThreshold }, t.toISOString());
          summary.failed++;
          logger.warn('digest given up after repeated temporary failures', { to: maskAddress(subscriber.email), attempts: row.attempts, reason: error });
        } else if (kind === 'temporary') {
          await store.finishDigest(row.id, { kind: 'retry', error, nextAttemptAt: new Date(t.getTime() + backoff(row.attempts)).toISOString() }, t.toISOString());
          summary.retrying++;
        } else {
          const until = new Date(t.getTime() + backoff(++pauseLevel));
          await store.finishDigest(row.id, { kind: 'retry', error, nextAttemptAt: until.toISOString() }, t.toISOString());
          summary.retrying++;
          if (!summary.paused) {
            summary.paused = { reason: error, until };
            logger.error(kind === 'setup' ? 'mail cannot be sent: check the mail settings' : 'mail server unavailable; delivery paused',
              { server: mailer.target, reason: error, until: until.toISOString() });
          }
        }
      }
    }

    while (!stopped && !summary.paused) {
      const ids = (await store.readyDigests(now().toISOString(), 1000)).filter((id) => !seen.has(id));
      if (!ids.length) break;
      for (const id of ids) seen.add(id);
      let next = 0;
      // `concurrency` lanes each take the next id: as many messages in flight as pooled connections.
      const lane = async () => {
        while (!stopped && !summary.paused && next < ids.length) await one(ids[next++]!);
      };
      await Promise.all(Array.from({ length: config.mail.concurrency }, lane));
    }
    return summary;
  }

  return {
    deliver,
    stop() {
      stopped = true;
    },
  };
}
