// Subscribers on SQLite (migration 005). Each change is one transaction; better-sqlite3
// runs it synchronously, so no other statement of this process interleaves, and SQLite's
// write lock keeps other processes out. Changes read before they write (does the
// subscriber exist?), so they are IMMEDIATE: the write lock is taken, or waited for,
// before the first read. A deferred one would read, find that another process had
// written meanwhile, and fail with SQLITE_BUSY however long the busy timeout.

import type Database from 'better-sqlite3';
import type { Subscriber, SubscriberChange, SubscriberFields, SubscriberStore } from '../subscriber-store.js';

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

function toColumns(fields: SubscriberFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    const col = COLUMNS[field as keyof typeof COLUMNS];
    if (!col || value === undefined) continue;
    out[col] = JSON_FIELDS.has(field) ? JSON.stringify(value) : value;
  }
  return out;
}

export function sqliteSubscribers(db: Database.Database): SubscriberStore {
  let q: ReturnType<typeof prepare> | null = null;
  // Prepared lazily: the tables exist only once migrate() has run.
  const queries = () => (q ??= prepare(db));

  const change = immediate(db, <T>(key: { email: string } | { id: number }, decide: (s: Subscriber | null) => SubscriberChange<T>): T => {
    const row = ('email' in key ? queries().byEmail.get(key.email) : queries().byId.get(key.id)) as Row | undefined;
    const current = row ? toSubscriber(row) : null;
    const { result, set, remove } = decide(current);
    if (remove && current) queries().remove.run(current.id);
    else if (set && Object.keys(set).length) {
      const cols = toColumns(set);
      if (current) {
        db.prepare(`UPDATE subscribers SET ${Object.keys(cols).map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...cols, id: current.id });
      } else {
        db.prepare(`INSERT INTO subscribers (${Object.keys(cols).join(', ')}) VALUES (${Object.keys(cols).map((c) => `@${c}`).join(', ')})`).run(cols);
      }
    }
    return result;
  });

  return {
    async getSubscriber(id) {
      const r = queries().byId.get(id) as Row | undefined;
      return r ? toSubscriber(r) : null;
    },
    async findSubscriber(email) {
      const r = queries().byEmail.get(email) as Row | undefined;
      return r ? toSubscriber(r) : null;
    },
    async changeSubscriber(key, decide) {
      return change(key, decide) as ReturnType<typeof decide>['result'];
    },
    async listSubscribers(o) {
      const rows = (o.status
        ? queries().listByStatus.all(o.status, o.afterId ?? 0, o.limit)
        : queries().list.all(o.afterId ?? 0, o.limit)) as Row[];
      return rows.map(toSubscriber);
    },
    async dueSubscribers(now, afterId, limit) {
      return (queries().due.all(now, afterId, limit) as Row[]).map(toSubscriber);
    },
    async expireUnconfirmed(now) {
      const qs = queries();
      return db.transaction(() => qs.dropNeverConfirmed.run(now).changes + qs.revertReconfirm.run(now, now).changes).immediate();
    },
  };
}

/** A function running `fn` as one IMMEDIATE transaction. */
export function immediate<A extends unknown[], R>(db: Database.Database, fn: (...args: A) => R): (...args: A) => R {
  const tx = db.transaction(fn);
  return (...args: A) => tx.immediate(...args);
}

function prepare(db: Database.Database) {
  return {
    byId: db.prepare('SELECT * FROM subscribers WHERE id = ?'),
    byEmail: db.prepare('SELECT * FROM subscribers WHERE email = ?'),
    remove: db.prepare('DELETE FROM subscribers WHERE id = ?'),
    list: db.prepare('SELECT * FROM subscribers WHERE id > ? ORDER BY id LIMIT ?'),
    listByStatus: db.prepare('SELECT * FROM subscribers WHERE status = ? AND id > ? ORDER BY id LIMIT ?'),
    due: db.prepare(`SELECT * FROM subscribers WHERE status = 'active' AND next_due_at <= ? AND id > ? ORDER BY id LIMIT ?`),
    // Never confirmed: forget the address. Confirmed once (a re-subscription left
    // unconfirmed): back to unsubscribed, which is what they were.
    dropNeverConfirmed: db.prepare(`DELETE FROM subscribers WHERE status = 'pending' AND confirm_expires_at < ? AND confirmed_at IS NULL`),
    revertReconfirm: db.prepare(`UPDATE subscribers SET status = 'unsubscribed', confirm_nonce = NULL, confirm_expires_at = NULL, updated_at = ?
      WHERE status = 'pending' AND confirm_expires_at < ? AND confirmed_at IS NOT NULL`),
  };
}
