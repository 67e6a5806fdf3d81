// Digest editions and the outbox on SQLite (migration 005). Each method is one IMMEDIATE
// transaction (see subscribers.ts for why): a claim, a finish or a plan decides from rows
// no other process can change until it commits.

import type Database from 'better-sqlite3';
import type { DeliveryOutcome, DigestPlan, DigestStatus, DigestStore, Edition, OutboxRow, SubscriptionStats } from '../digest-store.js';
import type { SubscriberStatus } from '../subscriber-store.js';
import { immediate, toSubscriber, type Row } from './subscribers.js';

function toOutbox(r: Row): OutboxRow {
  return {
    id: r.id as number, subscriberId: r.subscriber_id as number, digestDate: r.digest_date as string,
    status: r.status as DigestStatus, editionId: r.edition_id as number | null, paperIds: JSON.parse(r.paper_ids as string) as string[],
    messageId: r.message_id as string, attempts: r.attempts as number, nextAttemptAt: r.next_attempt_at as string,
    recovered: r.recovered as number, lastError: r.last_error as string | null, createdAt: r.created_at as string, sentAt: r.sent_at as string | null,
  };
}

export function sqliteDigests(db: Database.Database): DigestStore {
  let q: ReturnType<typeof prepare> | null = null;
  // Prepared lazily: the tables exist only once migrate() has run.
  const queries = () => (q ??= prepare(db));

  const plan = immediate(db, (plans: DigestPlan[], now: string): number => {
    let created = 0;
    const qs = queries();
    for (const p of plans) {
      const inserted = qs.insertDigest.run({
        subscriber_id: p.subscriberId, digest_date: p.digestDate, status: p.status, edition_id: p.editionId,
        paper_ids: JSON.stringify(p.paperIds), message_id: p.messageId, now,
      }).changes;
      if (inserted) {
        created++;
        // A newer day replaces an older one still waiting: one fresh digest, not a backlog.
        qs.supersede.run(p.subscriberId, p.digestDate);
      }
      // Moved on even when the date was already planned, or the planner would see it again.
      qs.advance.run({ id: p.subscriberId, date: p.digestDate, next: p.nextDueAt, now });
    }
    return created;
  });

  const claim = immediate(db, (id: number, owner: string, leaseUntil: string, now: string) => {
    const qs = queries();
    const row = qs.digestById.get(id) as Row | undefined;
    if (!row || row.status !== 'pending' || (row.next_attempt_at as string) > now) return null;
    const sub = qs.byId.get(row.subscriber_id) as Row | undefined;
    if (!sub || sub.status !== 'active') {
      qs.cancel.run(now, id);
      return null;
    }
    qs.claim.run({ id, owner, lease: leaseUntil });
    return { row: toOutbox({ ...row, status: 'sending', attempts: (row.attempts as number) + 1 }), subscriber: toSubscriber(sub) };
  });

  const finish = immediate(db, (id: number, o: DeliveryOutcome, now: string) => {
    const qs = queries();
    const row = qs.digestById.get(id) as Row | undefined;
    if (!row || row.status !== 'sending') return;
    const sub = row.subscriber_id as number;
    if (o.kind === 'sent') {
      qs.markSent.run({ id, now, response: o.response.slice(0, 500) });
      qs.subscriberSent.run(now, sub);
    } else if (o.kind === 'retry') {
      qs.markRetry.run({ id, next: o.nextAttemptAt, error: o.error.slice(0, 500), doubt: o.inDoubt ? 1 : 0 });
    } else {
      qs.markFailed.run({ id, error: o.error.slice(0, 500) });
      if (o.bounce) qs.bounce.run({ id: sub, threshold: o.bounceThreshold, now });
    }
  });

  const recover = immediate(db, (now: string, orphaned: (owner: string | null, leaseExpired: boolean) => boolean) => {
    let n = 0;
    for (const r of queries().sending.all() as { id: number; lease_owner: string | null; lease_until: string | null }[]) {
      if (orphaned(r.lease_owner, r.lease_until === null || r.lease_until <= now)) n += queries().recover.run(now, r.id).changes;
    }
    return n;
  });

  const prune = immediate(db, (before: string) => {
    // Undelivered digests stay whatever their age: only finished records are forgotten.
    const n = db.prepare(`DELETE FROM digest_outbox WHERE created_at < ? AND status NOT IN ('pending', 'sending')`).run(before).changes;
    db.prepare('DELETE FROM digest_editions WHERE created_at < ? AND id NOT IN (SELECT edition_id FROM digest_outbox WHERE edition_id IS NOT NULL)').run(before);
    return n;
  });

  return {
    async saveEdition(key, e, now) {
      queries().insertEdition.run(key, e.windowFrom, e.windowTo, JSON.stringify(e.items), now);
      return queries().editionId.get(key) as number;
    },
    async getEdition(id) {
      const r = queries().edition.get(id) as Row | undefined;
      return r ? { id, windowFrom: r.window_from as string, windowTo: r.window_to as string, items: JSON.parse(r.items as string) as Edition['items'] } : null;
    },
    async recentPapers(ids, since) {
      const out = new Map<number, Set<string>>();
      const rows = queries().recentPapers.all(JSON.stringify(ids), since) as { subscriber_id: number; paper_ids: string }[];
      for (const r of rows) {
        let set = out.get(r.subscriber_id);
        if (!set) out.set(r.subscriber_id, (set = new Set()));
        for (const p of JSON.parse(r.paper_ids) as string[]) set.add(p);
      }
      return out;
    },
    async planDigests(plans, now) {
      return plan(plans, now);
    },
    async rescheduleSubscribers(items, now) {
      db.transaction(() => {
        for (const i of items) queries().reschedule.run(i.nextDueAt, now, i.subscriberId);
      }).immediate();
    },
    async readyDigests(now, limit) {
      return queries().ready.all(now, limit) as number[];
    },
    async claimDigest(id, owner, leaseUntil, now) {
      return claim(id, owner, leaseUntil, now);
    },
    async finishDigest(id, outcome, now) {
      finish(id, outcome, now);
    },
    async recoverDigests(now, orphaned) {
      return recover(now, orphaned);
    },
    async getDigest(subscriberId, date) {
      const r = queries().digestByKey.get(subscriberId, date) as Row | undefined;
      return r ? toOutbox(r) : null;
    },
    async pruneDigests(before) {
      return prune(before);
    },
    async subscriptionStats(recentDates = 3): Promise<SubscriptionStats> {
      const subscribers: Record<SubscriberStatus, number> = { pending: 0, active: 0, paused: 0, unsubscribed: 0, bouncing: 0 };
      for (const r of queries().countByStatus.all() as { status: SubscriberStatus; n: number }[]) subscribers[r.status] = r.n;
      const dates = queries().recentDates.all(recentDates) as string[];
      const digests = dates.map((date) => {
        const counts: Partial<Record<DigestStatus, number>> = {};
        for (const r of queries().countDigests.all(date) as { status: DigestStatus; n: number }[]) counts[r.status] = r.n;
        return { date, counts };
      });
      return { subscribers, digests };
    },
  };
}

function prepare(db: Database.Database) {
  return {
    byId: db.prepare('SELECT * FROM subscribers WHERE id = ?'),
    insertEdition: db.prepare('INSERT OR IGNORE INTO digest_editions (key, window_from, window_to, items, created_at) VALUES (?, ?, ?, ?, ?)'),
    editionId: db.prepare('SELECT id FROM digest_editions WHERE key = ?').pluck(),
    edition: db.prepare('SELECT * FROM digest_editions WHERE id = ?'),
    recentPapers: db.prepare(`SELECT subscriber_id, paper_ids FROM digest_outbox
      WHERE subscriber_id IN (SELECT value FROM json_each(?)) AND digest_date >= ? AND status IN ('sent', 'sending')`),
    // Only for a subscriber still active: one who left meanwhile gets no row at all.
    insertDigest: db.prepare(`INSERT INTO digest_outbox (subscriber_id, digest_date, status, edition_id, paper_ids, message_id, next_attempt_at, created_at)
      SELECT @subscriber_id, @digest_date, @status, @edition_id, @paper_ids, @message_id, @now, @now
      WHERE EXISTS (SELECT 1 FROM subscribers WHERE id = @subscriber_id AND status = 'active')
      ON CONFLICT (subscriber_id, digest_date) DO NOTHING`),
    supersede: db.prepare(`UPDATE digest_outbox SET status = 'superseded' WHERE subscriber_id = ? AND digest_date < ? AND status = 'pending'`),
    advance: db.prepare(`UPDATE subscribers SET next_due_at = @next, updated_at = @now,
      last_digest_date = CASE WHEN last_digest_date IS NULL OR last_digest_date < @date THEN @date ELSE last_digest_date END WHERE id = @id`),
    reschedule: db.prepare(`UPDATE subscribers SET next_due_at = ?, updated_at = ? WHERE id = ? AND status = 'active'`),
    ready: db.prepare(`SELECT id FROM digest_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`).pluck(),
    digestById: db.prepare('SELECT * FROM digest_outbox WHERE id = ?'),
    digestByKey: db.prepare('SELECT * FROM digest_outbox WHERE subscriber_id = ? AND digest_date = ?'),
    cancel: db.prepare(`UPDATE digest_outbox SET status = 'cancelled', last_error = 'subscriber no longer active', sent_at = NULL, next_attempt_at = ? WHERE id = ?`),
    claim: db.prepare(`UPDATE digest_outbox SET status = 'sending', attempts = attempts + 1, lease_owner = @owner, lease_until = @lease WHERE id = @id`),
    markSent: db.prepare(`UPDATE digest_outbox SET status = 'sent', sent_at = @now, smtp_response = @response, lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE id = @id`),
    subscriberSent: db.prepare('UPDATE subscribers SET last_sent_at = ?, bounce_count = 0 WHERE id = ?'),
    markRetry: db.prepare(`UPDATE digest_outbox SET status = 'pending', next_attempt_at = @next, last_error = @error, lease_owner = NULL, lease_until = NULL,
      recovered = recovered + @doubt WHERE id = @id`),
    markFailed: db.prepare(`UPDATE digest_outbox SET status = 'failed', last_error = @error, lease_owner = NULL, lease_until = NULL WHERE id = @id`),
    bounce: db.prepare(`UPDATE subscribers SET bounce_count = bounce_count + 1, updated_at = @now,
      status = CASE WHEN bounce_count + 1 >= @threshold AND status = 'active' THEN 'bouncing' ELSE status END,
      next_due_at = CASE WHEN bounce_count + 1 >= @threshold THEN NULL ELSE next_due_at END WHERE id = @id`),
    sending: db.prepare(`SELECT id, lease_owner, lease_until FROM digest_outbox WHERE status = 'sending'`),
    recover: db.prepare(`UPDATE digest_outbox SET status = 'pending', recovered = recovered + 1, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL
      WHERE id = ? AND status = 'sending'`),
    countByStatus: db.prepare('SELECT status, count(*) AS n FROM subscribers GROUP BY status'),
    recentDates: db.prepare('SELECT DISTINCT digest_date FROM digest_outbox ORDER BY digest_date DESC LIMIT ?').pluck(),
    countDigests: db.prepare('SELECT status, count(*) AS n FROM digest_outbox WHERE digest_date = ? GROUP BY status'),
  };
}
