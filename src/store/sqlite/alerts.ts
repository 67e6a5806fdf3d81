// Alert settings, watches, planned alerts and the alert runs' cursor on SQLite
// (migration 013). Planning is one IMMEDIATE transaction per batch: what was already
// alerted is decided under the write lock, so two runs at once plan each alert once.

import type Database from 'better-sqlite3';
import { ALERT_KINDS, type AlertKind, type AlertPlan, type AlertStore, type AuthorWatch, type PaperChange, type SavedWatch, versionOf } from '../alert-store.js';
import { immediate } from './subscribers.js';

const CURSOR = 'alerts';

export function sqliteAlerts(db: Database.Database): AlertStore {
  let q: ReturnType<typeof prepare> | null = null;
  // Prepared lazily: the tables exist only once migrate() has run.
  const queries = () => (q ??= prepare(db));

  const setSettings = immediate(db, (id: number, settings: Partial<Record<AlertKind, boolean>>, at: string): boolean => {
    const qs = queries();
    if (!qs.subscriberExists.get(id)) return false;
    for (const [kind, on] of Object.entries(settings)) {
      if (on) qs.turnOn.run(id, kind);
      else qs.turnOff.run(id, kind, at);
    }
    return true;
  });

  const plan = immediate(db, (plans: AlertPlan[], now: string): number => {
    const qs = queries();
    let created = 0;
    for (const p of plans) {
      if (!qs.activeSubscriber.get(p.subscriberId) || qs.outboxKeyExists.get(p.subscriberId, p.key)) continue;
      const papers: string[] = [];
      for (const i of p.items) {
        if (qs.recordAlert.run(p.subscriberId, i.kind, i.paperId, i.version, p.key, now).changes && !papers.includes(i.paperId)) papers.push(i.paperId);
      }
      if (!papers.length) continue;
      qs.insertOutbox.run(p.subscriberId, p.key, p.editionId, JSON.stringify(papers), p.messageId, now, now);
      created++;
    }
    return created;
  });

  return {
    async alertSettings(subscriberId) {
      const off = new Set(queries().off.all(subscriberId) as string[]);
      return Object.fromEntries(ALERT_KINDS.map((k) => [k, !off.has(k)])) as Record<AlertKind, boolean>;
    },
    async setAlertSettings(subscriberId, settings, at) {
      return setSettings(subscriberId, settings, at);
    },
    async paperChanges(afterSeq, limit) {
      return (queries().changes.all(afterSeq, limit) as { id: string; change_seq: number; ingested_at: string }[])
        .map((r): PaperChange => ({ id: r.id, changeSeq: r.change_seq, ingestedAt: r.ingested_at }));
    },
    async authorWatches() {
      const known = new Map<string, string[]>();
      for (const r of queries().followPapers.all() as { subscriber_id: number; author: string; paper_id: string }[]) {
        const k = `${r.subscriber_id}\u0000${r.author}`;
        known.set(k, [...(known.get(k) ?? []), r.paper_id]);
      }
      return (queries().follows.all() as { subscriber_id: number; value: string; created_at: string }[])
        .map((r): AuthorWatch => ({ subscriberId: r.subscriber_id, author: r.value, since: r.created_at, papers: known.get(`${r.subscriber_id}\u0000${r.value}`) ?? [] }));
    },
    async savedWatches(paperIds) {
      if (!paperIds.length) return [];
      return (queries().saved.all(JSON.stringify(paperIds)) as { subscriber_id: number; paper_id: string; version: string | number | null; added_at: string }[])
        .map((r): SavedWatch => ({ subscriberId: r.subscriber_id, paperId: r.paper_id, version: versionOf(r.version), addedAt: r.added_at }));
    },
    async planAlerts(plans, now) {
      return plans.length ? plan(plans, now) : 0;
    },
    async alertCursor() {
      return (queries().cursor.get(CURSOR) as number | undefined) ?? null;
    },
    async moveAlertCursor(changeSeq, now) {
      queries().moveCursor.run(CURSOR, changeSeq, now);
    },
  };
}

function prepare(db: Database.Database) {
  // `t` is the outer table: active subscribers who did not turn this kind off.
  const wants = (kind: AlertKind) => `EXISTS (SELECT 1 FROM subscribers s WHERE s.id = t.subscriber_id AND s.status = 'active')
    AND NOT EXISTS (SELECT 1 FROM personal_alerts_off o WHERE o.subscriber_id = t.subscriber_id AND o.kind = '${kind}')`;
  return {
    subscriberExists: db.prepare('SELECT 1 FROM subscribers WHERE id = ?'),
    activeSubscriber: db.prepare(`SELECT 1 FROM subscribers WHERE id = ? AND status = 'active'`),
    off: db.prepare('SELECT kind FROM personal_alerts_off WHERE subscriber_id = ?').pluck(),
    turnOn: db.prepare('DELETE FROM personal_alerts_off WHERE subscriber_id = ? AND kind = ?'),
    turnOff: db.prepare('INSERT OR IGNORE INTO personal_alerts_off (subscriber_id, kind, created_at) VALUES (?, ?, ?)'),
    changes: db.prepare('SELECT id, change_seq, ingested_at FROM papers WHERE change_seq > ? ORDER BY change_seq LIMIT ?'),
    follows: db.prepare(`SELECT subscriber_id, value, created_at FROM personal_rules t WHERE kind = 'follow-author' AND ${wants('followed-author')}
      ORDER BY subscriber_id, value`),
    followPapers: db.prepare(`SELECT subscriber_id, author, paper_id FROM personal_follow_papers ORDER BY subscriber_id, author, paper_id`),
    saved: db.prepare(`SELECT subscriber_id, paper_id, json_extract(item, '$.version') AS version, added_at FROM personal_library t
      WHERE paper_id IN (SELECT value FROM json_each(?)) AND ${wants('saved-version')} ORDER BY subscriber_id, paper_id`),
    outboxKeyExists: db.prepare('SELECT 1 FROM digest_outbox WHERE subscriber_id = ? AND digest_date = ?'),
    recordAlert: db.prepare(`INSERT OR IGNORE INTO personal_alerts (subscriber_id, kind, paper_id, version, outbox_key, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
    insertOutbox: db.prepare(`INSERT INTO digest_outbox (subscriber_id, digest_date, status, edition_id, paper_ids, message_id, next_attempt_at, created_at)
      VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)`),
    cursor: db.prepare('SELECT change_seq FROM alert_cursor WHERE name = ?').pluck(),
    moveCursor: db.prepare(`INSERT INTO alert_cursor (name, change_seq, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET change_seq = excluded.change_seq, updated_at = excluded.updated_at WHERE excluded.change_seq > alert_cursor.change_seq`),
  };
}
