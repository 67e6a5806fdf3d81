// The embedded engine: one SQLite file (WAL, foreign keys) behind the Store interface.
// better-sqlite3 is synchronous; the async interface costs nothing here and lets
// PostgreSQL implement the same contract. Several processes may write to the file at
// once: every writer is an IMMEDIATE transaction and every call waits for the others
// (guard.ts), so none fails with "database is locked".

import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PaperRecord } from '../../papers/paper.js';
import { mergeRecords, recordsEqual } from '../merge.js';
import type { HarvestState, IngestBatch, IngestResult, ListOptions, Store, StoreStats } from '../store.js';
import { guardStore, asStoreFailure } from './guard.js';
import { migrate } from './migrate.js';
import { contentVersion, papersMeeting, searchDocuments } from './search.js';
import { sqliteVotes } from './votes.js';
import { sqliteExtras } from './extras.js';
import { sqlitePersonal } from './personal.js';
import { sqliteAlerts } from './alerts.js';
import { sqliteDigests } from './digests.js';
import { sqliteSubscribers } from './subscribers.js';
import { sqliteTrending } from './trending.js';
import { sqliteVectors } from './vectors.js';
import { sqliteLeases } from './leases.js';
import {
  harvestToParams, recordToParams, recordToPaper, rowToHarvest, rowToRecord, rowToSignal,
  type HarvestRow, type PaperRow, type SignalRow, type VersionRow,
} from '../rows.js';

export interface SqliteStoreOptions {
  /** Milliseconds SQLite itself waits for another connection's lock, blocking the thread, before the call is retried. */
  busyTimeoutMs?: number;
  /** Milliseconds a call waits in all for other writers before failing with store_failure. */
  lockWaitMs?: number;
  readonly?: boolean;
  now?: () => Date;
}

export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): Store & { db: Database.Database } {
  const lockWaitMs = opts.lockWaitMs ?? 30_000;
  let db: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file, { readonly: opts.readonly ?? false });
    // Switching a new file to WAL needs a moment alone with it: wait as long as any call would.
    db.pragma(`busy_timeout = ${lockWaitMs}`);
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 20}`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Deleted rows are overwritten, not left in free pages: erasing a subscriber erases their address and data from the file.
    db.pragma('secure_delete = ON');
  } catch (e) {
    throw asStoreFailure(e, file);
  }
  const now = opts.now ?? (() => new Date());
  let q: ReturnType<typeof prepareQueries> | null = null;
  const queries = () => (q ??= prepareQueries(db));

  function loadRecord(id: string): PaperRecord | null {
    const row = queries().paperById.get(id) as PaperRow | undefined;
    if (!row) return null;
    return rowToRecord(row, queries().versionsOf.all(id) as VersionRow[]);
  }

  function writePaper(incoming: PaperRecord, stamp: string, seq: () => number): 'inserted' | 'updated' | 'unchanged' {
    const existing = loadRecord(incoming.id);
    const merged = mergeRecords(existing, incoming);
    if (existing && recordsEqual(existing, merged)) return 'unchanged';
    const params = { ...recordToParams(merged), stamp, seq: seq() };
    const qs = queries();
    if (existing) qs.updatePaper.run(params);
    else {
      // The FTS row is written here, not by a trigger (see migration 001): much faster in bulk.
      const { lastInsertRowid } = qs.insertPaper.run(params);
      qs.insertFts.run(lastInsertRowid, params.title, params.author_names, params.abstract);
    }
    if (existing) {
      qs.deleteVersions.run(merged.id);
      qs.deleteCategories.run(merged.id);
    }
    for (const v of merged.versions) qs.insertVersion.run(merged.id, v.version, v.submittedAt, v.size ?? null);
    merged.categories.forEach((c, i) => qs.insertCategory.run(c, merged.id, i === 0 ? 1 : 0));
    return existing ? 'updated' : 'inserted';
  }

  // IMMEDIATE (see .immediate below): it reads the stored papers before writing them, and
  // a deferred transaction that another process writes under meanwhile cannot take the
  // write lock at all (SQLITE_BUSY at once, whatever the busy timeout).
  const ingestTx = db.transaction((batch: IngestBatch): IngestResult => {
    const result: IngestResult = { inserted: 0, updated: 0, unchanged: 0, signalsAdded: 0 };
    const stamp = now().toISOString();
    // The change sequence: numbers taken under the write lock, so a later commit always
    // has higher ones, whatever the clocks of the processes say (ContentVersion.changeSeq).
    const qs = queries();
    let last = qs.changeSeq.get() as number;
    const first = last;
    for (const p of batch.papers ?? []) result[writePaper(p, stamp, () => ++last)]++;
    if (last !== first) qs.setChangeSeq.run(last);
    for (const s of batch.signals ?? []) {
      result.signalsAdded += queries().insertSignal.run(s.paperId, s.kind, s.source, s.observedAt, s.value).changes;
    }
    if (batch.harvestState) queries().saveHarvest.run(harvestToParams(batch.harvestState));
    return result;
  });

  const store: Store & { db: Database.Database } = {
    engine: 'sqlite',
    db,
    ...sqliteVotes(db, now),
    ...sqliteExtras(db, now),
    ...sqliteSubscribers(db),
    ...sqliteDigests(db),
    ...sqliteTrending(db, now, { readonly: opts.readonly }),
    ...sqliteVectors(db),
    ...sqlitePersonal(db),
    ...sqliteAlerts(db),
    ...sqliteLeases(db),
    async migrate() {
      migrate(db);
      q = null;
    },
    async ingest(batch) {
      return ingestTx.immediate(batch);
    },
    async getPaper(id) {
      const r = loadRecord(id);
      return r ? recordToPaper(r) : null;
    },
    async listPapers(o: ListOptions = {}) {
      const limit = o.limit ?? 50;
      const offset = o.offset ?? 0;
      const rows = (o.category
        ? queries().newestInCategory.all(o.category, limit, offset)
        : queries().newest.all(limit, offset)) as PaperRow[];
      return rows.map((row) => recordToPaper(rowToRecord(row, queries().versionsOf.all(row.id) as VersionRow[])));
    },
    async *searchDocuments(o = {}) {
      yield* searchDocuments(db, o.changedAfter);
    },
    async contentVersion() {
      return contentVersion(db);
    },
    async papersMeeting(c, keys) {
      return papersMeeting(db, c, keys);
    },
    // Never worth it: FTS5 keeps word positions, so naming every paper with a phrase is a
    // merge of postings (0.25-0.65 µs a paper with its words at 74,728 papers, 0.34 at a
    // million), while each given paper opens every word's postings anew (69-119 µs, and 302
    // at a million; bench:engines).
    givenPaperCost: Infinity,
    async getPapers(ids) {
      // Two queries for the whole page of results rather than two per paper.
      const list = JSON.stringify(ids);
      const rows = new Map((queries().papersByIds.all(list) as PaperRow[]).map((r) => [r.id, r]));
      const versions = new Map<string, VersionRow[]>();
      for (const v of queries().versionsOfIds.all(list) as (VersionRow & { paper_id: string })[]) {
        const of = versions.get(v.paper_id);
        if (of) of.push(v);
        else versions.set(v.paper_id, [v]);
      }
      return ids.flatMap((id) => {
        const row = rows.get(id);
        return row ? [recordToPaper(rowToRecord(row, versions.get(id) ?? []))] : [];
      });
    },
    async signalsFor(paperId) {
      return (queries().signalsOf.all(paperId) as SignalRow[]).map(rowToSignal);
    },
    async getHarvestState(name) {
      const row = queries().harvestByName.get(name) as HarvestRow | undefined;
      return row ? rowToHarvest(row) : null;
    },
    async saveHarvestState(state: HarvestState) {
      queries().saveHarvest.run(harvestToParams(state));
    },
    async stats(): Promise<StoreStats> {
      const one = (sql: string) => db.prepare(sql).pluck().get() as number | string | null;
      return {
        papers: one('SELECT count(*) FROM papers') as number,
        versions: one('SELECT count(*) FROM paper_versions') as number,
        signals: one('SELECT count(*) FROM signals') as number,
        byPrimaryCategory: db.prepare(`SELECT primary_category AS category, count(*) AS papers FROM papers
          WHERE primary_category IS NOT NULL GROUP BY primary_category ORDER BY papers DESC, category LIMIT 15`).all() as StoreStats['byPrimaryCategory'],
        oldestSubmitted: one('SELECT min(submitted_at) FROM papers') as string | null,
        newestSubmitted: one('SELECT max(submitted_at) FROM papers') as string | null,
        newestAnnounced: one('SELECT max(announced_at) FROM papers') as string | null,
        harvests: (db.prepare('SELECT * FROM harvest_state ORDER BY name').all() as HarvestRow[]).map(rowToHarvest),
        sizeBytes: file === ':memory:' ? null : fileSize(file) + fileSize(`${file}-wal`),
      };
    },
    async close() {
      try {
        if (db.open && !opts.readonly) db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Another process is using the file: it, or a later close, checkpoints instead.
      }
      db.close();
    },
  };
  // `db` stays reachable (tests, maintenance); every method waits for other writers.
  return guardStore(store, { file, lockWaitMs }, new Set(['searchDocuments', 'paperVectors']));
}

function prepareQueries(db: Database.Database) {
  const cols = `id, title, abstract, authors, author_names, categories, primary_category, comment, journal_ref,
    doi, license, latest_version, submitted_at, updated_at, announced_at`;
  const vals = cols.split(',').map((c) => `@${c.trim()}`).join(', ');
  const sets = cols.split(',').slice(1).map((c) => `${c.trim()} = @${c.trim()}`).join(', ');
  return {
    paperById: db.prepare('SELECT * FROM papers WHERE id = ?'),
    versionsOf: db.prepare('SELECT version, submitted_at, size FROM paper_versions WHERE paper_id = ? ORDER BY version'),
    papersByIds: db.prepare('SELECT * FROM papers WHERE id IN (SELECT value FROM json_each(?))'),
    versionsOfIds: db.prepare(`SELECT paper_id, version, submitted_at, size FROM paper_versions
      WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, version`),
    insertPaper: db.prepare(`INSERT INTO papers (${cols}, ingested_at, modified_at, change_seq) VALUES (${vals}, @stamp, @stamp, @seq)`),
    insertFts: db.prepare('INSERT INTO papers_fts (rowid, title, author_names, abstract) VALUES (?, ?, ?, ?)'),
    updatePaper: db.prepare(`UPDATE papers SET ${sets}, modified_at = @stamp, change_seq = @seq WHERE id = @id`),
    changeSeq: db.prepare(`SELECT value FROM store_sequences WHERE name = 'papers'`).pluck(),
    setChangeSeq: db.prepare(`UPDATE store_sequences SET value = ? WHERE name = 'papers'`),
    deleteVersions: db.prepare('DELETE FROM paper_versions WHERE paper_id = ?'),
    insertVersion: db.prepare('INSERT INTO paper_versions (paper_id, version, submitted_at, size) VALUES (?, ?, ?, ?)'),
    deleteCategories: db.prepare('DELETE FROM paper_categories WHERE paper_id = ?'),
    insertCategory: db.prepare('INSERT OR IGNORE INTO paper_categories (category, paper_id, is_primary) VALUES (?, ?, ?)'),
    insertSignal: db.prepare(`INSERT INTO signals (paper_id, kind, source, observed_at, value) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET value = excluded.value WHERE value <> excluded.value`),
    signalsOf: db.prepare('SELECT * FROM signals WHERE paper_id = ? ORDER BY observed_at, kind, source'),
    newest: db.prepare(`SELECT * FROM papers ORDER BY coalesce(announced_at, substr(submitted_at, 1, 10)) DESC, id DESC LIMIT ? OFFSET ?`),
    newestInCategory: db.prepare(`SELECT p.* FROM paper_categories c JOIN papers p ON p.id = c.paper_id WHERE c.category = ?
      ORDER BY coalesce(p.announced_at, substr(p.submitted_at, 1, 10)) DESC, p.id DESC LIMIT ? OFFSET ?`),
    harvestByName: db.prepare('SELECT * FROM harvest_state WHERE name = ?'),
    saveHarvest: db.prepare(`INSERT INTO harvest_state (name, next_from, resumption_token, current_from, current_response_date,
        pages, records, last_success_at, last_error, updated_at)
      VALUES (@name, @next_from, @resumption_token, @current_from, @current_response_date, @pages, @records,
        @last_success_at, @last_error, @updated_at)
      ON CONFLICT (name) DO UPDATE SET next_from = excluded.next_from, resumption_token = excluded.resumption_token,
        current_from = excluded.current_from, current_response_date = excluded.current_response_date,
        pages = excluded.pages, records = excluded.records, last_success_at = excluded.last_success_at,
        last_error = excluded.last_error, updated_at = excluded.updated_at`),
  };
}

function fileSize(f: string): number {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
}
