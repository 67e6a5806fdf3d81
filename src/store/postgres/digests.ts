// Digest editions and the outbox on PostgreSQL. Each method is one transaction that
// locks the rows it decides from (FOR UPDATE): a concurrent finish or plan of the same
// row waits and then sees the outcome; a claim skips a row another worker holds (SKIP
// LOCKED), so each row goes to one worker without them queueing behind each other.

import type { DeliveryOutcome, DigestPlan, DigestStatus, DigestStore, Edition, OutboxRow, SubscriptionStats } from '../digest-store.js';
import type { SubscriberStatus } from '../subscriber-store.js';
import { one, rows, tx, type Db } from './db.js';
import { subscriberBy, toSubscriber, type Row } from './subscribers.js';

function toOutbox(r: Row): OutboxRow {
  return {
    id: r.id as number, subscriberId: r.subscriber_id as number, digestDate: r.digest_date as string,
    status: r.status as DigestStatus, editionId: r.edition_id as number | null, paperIds: JSON.parse(r.paper_ids as string) as string[],
    messageId: r.message_id as string, attempts: r.attempts as number, nextAttemptAt: r.next_attempt_at as string,
    recovered: r.recovered as number, lastError: r.last_error as string | null, createdAt: r.created_at as string, sentAt: r.sent_at as string | null,
  };
}

export function pgDigests(db: Db): DigestStore {
  return {
    async saveEdition(key, e, now) {
      await db.query('INSERT INTO digest_editions (key, window_from, window_to, items, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING',
        [key, e.windowFrom, e.windowTo, JSON.stringify(e.items), now]);
      return (await one<number>(db, 'SELECT id FROM digest_editions WHERE key = $1', [key]))!;
    },
    async getEdition(id) {
      const [r] = await rows<Row>(db, 'SELECT * FROM digest_editions WHERE id = $1', [id]);
      return r ? { id, windowFrom: r.window_from as string, windowTo: r.window_to as string, items: JSON.parse(r.items as string) as Edition['items'] } : null;
    },
    async recentPapers(ids, since) {
      const out = new Map<number, Set<string>>();
      if (!ids.length) return out;
      for (const r of await rows<{ subscriber_id: number; paper_ids: string }>(db, `SELECT subscriber_id, paper_ids FROM digest_outbox
        WHERE subscriber_id = ANY($1) AND digest_date >= $2 AND status IN ('sent', 'sending')`, [ids, since])) {
        let set = out.get(r.subscriber_id);
        if (!set) out.set(r.subscriber_id, (set = new Set()));
        for (const p of JSON.parse(r.paper_ids) as string[]) set.add(p);
      }
      return out;
    },
    async planDigests(plans: DigestPlan[], now: string) {
      return tx(db, async (c) => {
        let created = 0;
        for (const p of plans) {
          // Only for a subscriber still active (locked, so it cannot leave meanwhile): one who left gets no row at all.
          const active = await one<number>(c, `SELECT id FROM subscribers WHERE id = $1 AND status = 'active' FOR UPDATE`, [p.subscriberId]);
          const inserted = active === null ? 0 : (await c.query(`INSERT INTO digest_outbox (subscriber_id, digest_date, status, edition_id, paper_ids, message_id, next_attempt_at, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (subscriber_id, digest_date) DO NOTHING`,
          [p.subscriberId, p.digestDate, p.status, p.editionId, JSON.stringify(p.paperIds), p.messageId, now])).rowCount ?? 0;
          if (inserted) {
            created++;
            // A newer day replaces an older one still waiting: one fresh digest, not a backlog.
            await c.query(`UPDATE digest_outbox SET status = 'superseded' WHERE subscriber_id = $1 AND digest_date < $2 AND status = 'pending'`, [p.subscriberId, p.digestDate]);
          }
          // Moved on even when the date was already planned, or the planner would see it again.
          await c.query(`UPDATE subscribers SET next_due_at = $3, updated_at = $4,
            last_digest_date = CASE WHEN last_digest_date IS NULL OR last_digest_date < $2 THEN $2 ELSE last_digest_date END WHERE id = $1`,
          [p.subscriberId, p.digestDate, p.nextDueAt, now]);
        }
        return created;
      });
    },
    async rescheduleSubscribers(items, now) {
      if (!items.length) return;
      await db.query(`UPDATE subscribers s SET next_due_at = i.next, updated_at = $3 FROM unnest($1::int[], $2::text[]) AS i(id, next)
        WHERE s.id = i.id AND s.status = 'active'`, [items.map((i) => i.subscriberId), items.map((i) => i.nextDueAt), now]);
    },
    async readyDigests(now, limit) {
      return (await rows<{ id: number }>(db, `SELECT id FROM digest_outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`, [now, limit])).map((r) => r.id);
    },
    async claimDigest(id, owner, leaseUntil, now) {
      return tx(db, async (c) => {
        // SKIP LOCKED: a row another worker is claiming (or finishing) is theirs; this one moves on at once.
        const [row] = await rows<Row>(c, 'SELECT * FROM digest_outbox WHERE id = $1 FOR UPDATE SKIP LOCKED', [id]);
        if (!row || row.status !== 'pending' || (row.next_attempt_at as string) > now) return null;
        const sub = await subscriberBy(c, 'id', row.subscriber_id, 'FOR SHARE');
        if (!sub || sub.status !== 'active') {
          await c.query(`UPDATE digest_outbox SET status = 'cancelled', last_error = 'subscriber no longer active', sent_at = NULL, next_attempt_at = $1 WHERE id = $2`, [now, id]);
          return null;
        }
        await c.query(`UPDATE digest_outbox SET status = 'sending', attempts = attempts + 1, lease_owner = $2, lease_until = $3 WHERE id = $1`, [id, owner, leaseUntil]);
        return { row: toOutbox({ ...row, status: 'sending', attempts: (row.attempts as number) + 1 }), subscriber: toSubscriber(sub) };
      });
    },
    async finishDigest(id: number, o: DeliveryOutcome, now: string) {
      await tx(db, async (c) => {
        const [row] = await rows<Row>(c, 'SELECT status, subscriber_id FROM digest_outbox WHERE id = $1 FOR UPDATE', [id]);
        if (!row || row.status !== 'sending') return;
        const sub = row.subscriber_id as number;
        if (o.kind === 'sent') {
          await c.query(`UPDATE digest_outbox SET status = 'sent', sent_at = $2, smtp_response = $3, lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE id = $1`, [id, now, o.response.slice(0, 500)]);
          await c.query('UPDATE subscribers SET last_sent_at = $1, bounce_count = 0 WHERE id = $2', [now, sub]);
        } else if (o.kind === 'retry') {
          await c.query(`UPDATE digest_outbox SET status = 'pending', next_attempt_at = $2, last_error = $3, lease_owner = NULL, lease_until = NULL,
            recovered = recovered + $4 WHERE id = $1`, [id, o.nextAttemptAt, o.error.slice(0, 500), o.inDoubt ? 1 : 0]);
        } else {
          await c.query(`UPDATE digest_outbox SET status = 'failed', last_error = $2, lease_owner = NULL, lease_until = NULL WHERE id = $1`, [id, o.error.slice(0, 500)]);
          // Permanent failures in a row: at the threshold an active address stops getting mail.
          if (o.bounce) {
            await c.query(`UPDATE subscribers SET bounce_count = bounce_count + 1, updated_at = $3,
              status = CASE WHEN bounce_count + 1 >= $2 AND status = 'active' THEN 'bouncing' ELSE status END,
              next_due_at = CASE WHEN bounce_count + 1 >= $2 THEN NULL ELSE next_due_at END WHERE id = $1`, [sub, o.bounceThreshold, now]);
          }
        }
      });
    },
    async recoverDigests(now, orphaned) {
      return tx(db, async (c) => {
        let n = 0;
        for (const r of await rows<{ id: number; lease_owner: string | null; lease_until: string | null }>(c,
          `SELECT id, lease_owner, lease_until FROM digest_outbox WHERE status = 'sending' FOR UPDATE SKIP LOCKED`)) {
          if (!orphaned(r.lease_owner, r.lease_until === null || r.lease_until <= now)) continue;
          n += (await c.query(`UPDATE digest_outbox SET status = 'pending', recovered = recovered + 1, next_attempt_at = $1, lease_owner = NULL, lease_until = NULL
            WHERE id = $2 AND status = 'sending'`, [now, r.id])).rowCount ?? 0;
        }
        return n;
      });
    },
    async getDigest(subscriberId, date) {
      const [r] = await rows<Row>(db, 'SELECT * FROM digest_outbox WHERE subscriber_id = $1 AND digest_date = $2', [subscriberId, date]);
      return r ? toOutbox(r) : null;
    },
    async pruneDigests(before) {
      return tx(db, async (c) => {
        // Undelivered digests stay whatever their age: only finished records are forgotten.
        const n = (await c.query(`DELETE FROM digest_outbox WHERE created_at < $1 AND status NOT IN ('pending', 'sending')`, [before])).rowCount ?? 0;
        await c.query(`DELETE FROM digest_editions e WHERE created_at < $1 AND NOT EXISTS (SELECT 1 FROM digest_outbox o WHERE o.edition_id = e.id)`, [before]);
        return n;
      });
    },
    async subscriptionStats(recentDates = 3): Promise<SubscriptionStats> {
      const subscribers: Record<SubscriberStatus, number> = { pending: 0, active: 0, paused: 0, unsubscribed: 0, bouncing: 0 };
      for (const r of await rows<{ status: SubscriberStatus; n: number }>(db, 'SELECT status, count(*) AS n FROM subscribers GROUP BY status')) subscribers[r.status] = r.n;
      const dates = (await rows<{ d: string }>(db, 'SELECT DISTINCT digest_date AS d FROM digest_outbox ORDER BY d DESC LIMIT $1', [recentDates])).map((r) => r.d);
      const digests = [];
      for (const date of dates) {
        const counts: Partial<Record<DigestStatus, number>> = {};
        for (const r of await rows<{ status: DigestStatus; n: number }>(db, 'SELECT status, count(*) AS n FROM digest_outbox WHERE digest_date = $1 GROUP BY status', [date])) counts[r.status] = r.n;
        digests.push({ date, counts });
      }
      return { subscribers, digests };
    },
  };
}
