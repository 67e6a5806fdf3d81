// Alert settings, watches, planned alerts and the alert runs' cursor on PostgreSQL
// (migration 006). A plan locks its subscriber's row first, so two runs at once decide
// one after the other what was already alerted, and each alert is planned once.

import { ALERT_KINDS, type AlertKind, type AlertStore, type AuthorWatch, type SavedWatch, versionOf } from '../alert-store.js';
import { one, rows, tx, type Db } from './db.js';

const CURSOR = 'alerts';

/** `t` is the outer table: active subscribers who did not turn this kind off. */
const wants = (kind: AlertKind) => `EXISTS (SELECT 1 FROM subscribers s WHERE s.id = t.subscriber_id AND s.status = 'active')
  AND NOT EXISTS (SELECT 1 FROM personal_alerts_off o WHERE o.subscriber_id = t.subscriber_id AND o.kind = '${kind}')`;

export function pgAlerts(db: Db): AlertStore {
  return {
    async alertSettings(subscriberId) {
      const off = new Set((await rows<{ kind: string }>(db, 'SELECT kind FROM personal_alerts_off WHERE subscriber_id = $1', [subscriberId])).map((r) => r.kind));
      return Object.fromEntries(ALERT_KINDS.map((k) => [k, !off.has(k)])) as Record<AlertKind, boolean>;
    },

    async setAlertSettings(subscriberId, settings, at) {
      return tx(db, async (q) => {
        if (!(await one(q, 'SELECT 1 FROM subscribers WHERE id = $1 FOR UPDATE', [subscriberId]))) return false;
        for (const [kind, on] of Object.entries(settings)) {
          if (on) await q.query('DELETE FROM personal_alerts_off WHERE subscriber_id = $1 AND kind = $2', [subscriberId, kind]);
          else await q.query('INSERT INTO personal_alerts_off (subscriber_id, kind, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [subscriberId, kind, at]);
        }
        return true;
      });
    },

    async paperChanges(afterSeq, limit) {
      return (await rows<{ id: string; change_seq: number; ingested_at: string }>(db,
        'SELECT id, change_seq, ingested_at FROM papers WHERE change_seq > $1 ORDER BY change_seq LIMIT $2', [afterSeq, limit]))
        .map((r) => ({ id: r.id, changeSeq: r.change_seq, ingestedAt: r.ingested_at }));
    },

    async authorWatches() {
      const known = new Map<string, string[]>();
      for (const r of await rows<{ subscriber_id: number; author: string; paper_id: string }>(db,
        'SELECT subscriber_id, author, paper_id FROM personal_follow_papers ORDER BY subscriber_id, author COLLATE "C", paper_id COLLATE "C"')) {
        const k = `${r.subscriber_id}\u0000${r.author}`;
        known.set(k, [...(known.get(k) ?? []), r.paper_id]);
      }
      return (await rows<{ subscriber_id: number; value: string; created_at: string }>(db,
        `SELECT subscriber_id, value, created_at FROM personal_rules t WHERE kind = 'follow-author' AND ${wants('followed-author')} ORDER BY subscriber_id, value COLLATE "C"`))
        .map((r): AuthorWatch => ({ subscriberId: r.subscriber_id, author: r.value, since: r.created_at, papers: known.get(`${r.subscriber_id}\u0000${r.value}`) ?? [] }));
    },

    async savedWatches(paperIds) {
      if (!paperIds.length) return [];
      return (await rows<{ subscriber_id: number; paper_id: string; version: string | null; added_at: string }>(db,
        `SELECT subscriber_id, paper_id, item::jsonb ->> 'version' AS version, added_at FROM personal_library t
         WHERE paper_id = ANY($1) AND ${wants('saved-version')} ORDER BY subscriber_id, paper_id COLLATE "C"`, [paperIds]))
        .map((r): SavedWatch => ({ subscriberId: r.subscriber_id, paperId: r.paper_id, version: versionOf(r.version), addedAt: r.added_at }));
    },

    async planAlerts(plans, now) {
      let created = 0;
      for (const p of plans) {
        created += await tx(db, async (q) => {
          if (!(await one(q, `SELECT 1 FROM subscribers WHERE id = $1 AND status = 'active' FOR UPDATE`, [p.subscriberId]))) return 0;
          if (await one(q, 'SELECT 1 FROM digest_outbox WHERE subscriber_id = $1 AND digest_date = $2', [p.subscriberId, p.key])) return 0;
          const papers: string[] = [];
          for (const i of p.items) {
            const r = await q.query(`INSERT INTO personal_alerts (subscriber_id, kind, paper_id, version, outbox_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)
              ON CONFLICT DO NOTHING`, [p.subscriberId, i.kind, i.paperId, i.version, p.key, now]);
            if (r.rowCount && !papers.includes(i.paperId)) papers.push(i.paperId);
          }
          if (!papers.length) return 0;
          await q.query(`INSERT INTO digest_outbox (subscriber_id, digest_date, status, edition_id, paper_ids, message_id, next_attempt_at, created_at)
            VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6)`, [p.subscriberId, p.key, p.editionId, JSON.stringify(papers), p.messageId, now]);
          return 1;
        });
      }
      return created;
    },

    async alertCursor() {
      return one<number>(db, 'SELECT change_seq FROM alert_cursor WHERE name = $1', [CURSOR]);
    },

    async moveAlertCursor(changeSeq, now) {
      await db.query(`INSERT INTO alert_cursor (name, change_seq, updated_at) VALUES ($1, $2, $3)
        ON CONFLICT (name) DO UPDATE SET change_seq = excluded.change_seq, updated_at = excluded.updated_at WHERE excluded.change_seq > alert_cursor.change_seq`, [CURSOR, changeSeq, now]);
    },
  };
}
