// Subscribers on PostgreSQL. A change locks the subscriber's row (FOR UPDATE) before
// deciding, so a concurrent change waits and then decides from the outcome; two processes
// adding the same new address meet at its unique key, and the loser runs again (db.ts)
// and finds the winner's row.

import type { Subscriber, SubscriberChange, SubscriberFields, SubscriberStore } from '../subscriber-store.js';
import { rows, tx, type Db, type Queryable } from './db.js';

const COLUMNS: Record<keyof Omit<Subscriber, 'id'>, string> = {
  email: 'email', status: 'status', topics: 'topics', categories: 'categories', topicMode: 'topic_mode',
  sendHour: 'send_hour', timeZone: 'time_zone', frequency: 'frequency', weekday: 'weekday', consent: 'consent',
  confirmNonce: 'confirm_nonce', confirmExpiresAt: 'confirm_expires_at', createdAt: 'created_at', updatedAt: 'updated_at',
  confirmedAt: 'confirmed_at', unsubscribedAt: 'unsubscribed_at', nextDueAt: 'next_due_at', lastDigestDate: 'last_digest_date',
  lastSentAt: 'last_sent_at', bounceCount: 'bounce_count', noticeDay: 'notice_day', noticeCount: 'notice_count',
};
const JSON_FIELDS = new Set(['topics', 'categories']);
export type Row = Record<string, unknown>;

export function toSubscriber(r: Row): Subscriber {
  const s: Record<string, unknown> = { id: r.id };
  for (const [field, col] of Object.entries(COLUMNS)) s[field] = JSON_FIELDS.has(field) ? JSON.parse(r[col] as string) : r[col];
  return s as unknown as Subscriber;
}

export const subscriberBy = async (q: Queryable, where: string, value: unknown, lock = '') =>
  (await rows<Row>(q, `SELECT * FROM subscribers WHERE ${where} = $1 ${lock}`, [value]))[0] ?? null;

export function pgSubscribers(db: Db): SubscriberStore {
  return {
    async getSubscriber(id) {
      const r = await subscriberBy(db, 'id', id);
      return r ? toSubscriber(r) : null;
    },
    async findSubscriber(email) {
      const r = await subscriberBy(db, 'email', email);
      return r ? toSubscriber(r) : null;
    },
    async changeSubscriber<T>(key: { email: string } | { id: number }, decide: (s: Subscriber | null) => SubscriberChange<T>): Promise<T> {
      return tx(db, async (c) => {
        const row = 'email' in key ? await subscriberBy(c, 'email', key.email, 'FOR UPDATE') : await subscriberBy(c, 'id', key.id, 'FOR UPDATE');
        const current = row ? toSubscriber(row) : null;
        const { result, set, remove } = decide(current);
        if (remove && current) await c.query('DELETE FROM subscribers WHERE id = $1', [current.id]);
        else if (set && Object.keys(set).length) {
          const cols = toColumns(set);
          const names = Object.keys(cols);
          if (current) {
            await c.query(`UPDATE subscribers SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')} WHERE id = $1`, [current.id, ...Object.values(cols)]);
          } else {
            // A concurrent insert of the same address fails on its unique key; tx() runs this again.
            await c.query(`INSERT INTO subscribers (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(cols));
          }
        }
        return result;
      });
    },
    async listSubscribers(o) {
      const r = o.status
        ? await rows<Row>(db, 'SELECT * FROM subscribers WHERE status = $1 AND id > $2 ORDER BY id LIMIT $3', [o.status, o.afterId ?? 0, o.limit])
        : await rows<Row>(db, 'SELECT * FROM subscribers WHERE id > $1 ORDER BY id LIMIT $2', [o.afterId ?? 0, o.limit]);
      return r.map(toSubscriber);
    },
    async dueSubscribers(now, afterId, limit) {
      return (await rows<Row>(db, `SELECT * FROM subscribers WHERE status = 'active' AND next_due_at <= $1 AND id > $2 ORDER BY id LIMIT $3`, [now, afterId, limit])).map(toSubscriber);
    },
    async expireUnconfirmed(now) {
      return tx(db, async (c) => {
        // Never confirmed: forget the address. Confirmed once (a re-subscription left unconfirmed): back to unsubscribed.
        const dropped = await c.query(`DELETE FROM subscribers WHERE status = 'pending' AND confirm_expires_at < $1 AND confirmed_at IS NULL`, [now]);
        const reverted = await c.query(`UPDATE subscribers SET status = 'unsubscribed', confirm_nonce = NULL, confirm_expires_at = NULL, updated_at = $1
          WHERE status = 'pending' AND confirm_expires_at < $1 AND confirmed_at IS NOT NULL`, [now]);
        return (dropped.rowCount ?? 0) + (reverted.rowCount ?? 0);
      });
    },
  };
}

function toColumns(fields: SubscriberFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    const col = COLUMNS[field as keyof typeof COLUMNS];
    if (!col || value === undefined) continue;
    out[col] = JSON_FIELDS.has(field) ? JSON.stringify(value) : value;
  }
  return out;
}

