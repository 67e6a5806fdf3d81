// Papers on PostgreSQL: ingest (merged with what is stored, numbered by the change
// sequence), reading them back, and what the search index needs.

import type { PaperRecord } from '../../papers/paper.js';
import { mergeRecords, recordsEqual } from '../merge.js';
import { harvestToParams, recordToParams, recordToPaper, rowToHarvest, rowToRecord, rowToSignal, type HarvestRow, type PaperRow, type SignalRow, type VersionRow } from '../rows.js';
import type { ContentVersion, HarvestState, IngestBatch, IngestResult, ListOptions, SearchDocument, StoreStats } from '../store.js';
import type { ContentVersionCache } from './content-version.js';
import { one, rows, tx, type Db, type Queryable, type Tx } from './db.js';
import { paperWordsArgs } from './words.js';

const COLS = ['id', 'title', 'abstract', 'authors', 'author_names', 'categories', 'primary_category', 'comment', 'journal_ref',
  'doi', 'license', 'latest_version', 'submitted_at', 'updated_at', 'announced_at'] as const;
const DAY = 'coalesce(announced_at, substr(submitted_at, 1, 10))';
const PAPER_COLS = `pk, ${COLS.join(', ')}`;

/** A paper's versions as a JSON column of the row (one round trip for papers and versions). */
const versionsOf = (paper: string) => `(SELECT json_agg(json_build_object('version', v.version, 'submitted_at', v.submitted_at, 'size', v.size) ORDER BY v.version)
  FROM paper_versions v WHERE v.paper_id = ${paper}.id) AS versions`;
const WITH_VERSIONS = `${PAPER_COLS}, ${versionsOf('papers')}`;

type RowWithVersions = PaperRow & { versions: VersionRow[] | null };

/** Rows read with their versions (WITH_VERSIONS) as records by id. */
const records = (found: RowWithVersions[]) => new Map(found.map((r) => [r.id, rowToRecord(r, r.versions ?? [])]));

/** The content version as the database has it now. */
export async function readContentVersion(db: Db): Promise<ContentVersion> {
  // Named: prepared once per connection.
  const r = await db.query({ name: 'content-version', text: `SELECT (SELECT max(pk) FROM papers) AS "maxKey", (SELECT max(modified_at) FROM papers) AS "lastModified",
    (SELECT value FROM store_sequences WHERE name = 'papers') AS "changeSeq"` });
  return r.rows[0] as ContentVersion;
}

export function pgPapers(db: Db, now: () => Date, versions: ContentVersionCache) {
  const words = (v: ReturnType<typeof recordToParams>) => paperWordsArgs(v.title, v.author_names, v.abstract);

  async function updatePaper(c: Tx, merged: PaperRecord, stamp: string, seq: number): Promise<void> {
    const v = recordToParams(merged);
    const n = COLS.length;
    await c.query(`UPDATE papers SET ${COLS.slice(1).map((k, i) => `${k} = $${i + 2}`).join(', ')}, modified_at = $${n + 1}, change_seq = $${n + 2}
      WHERE id = $1`, [...COLS.map((k) => v[k]), stamp, seq]);
    await c.query('UPDATE paper_word_vectors SET words = paper_words($2, $3, $4) WHERE pk = (SELECT pk FROM papers WHERE id = $1)', [merged.id, ...words(v)]);
    await c.query('DELETE FROM paper_versions WHERE paper_id = $1', [merged.id]);
    await c.query('DELETE FROM paper_categories WHERE paper_id = $1', [merged.id]);
    await insertChildren(c, [merged]);
  }

  /** New papers in one statement per table: a batch of thousands costs a few round trips, not thousands. */
  async function insertPapers(c: Tx, list: { merged: PaperRecord; seq: number }[], stamp: string): Promise<void> {
    if (!list.length) return;
    const values = list.map(({ merged }) => recordToParams(merged));
    const n = COLS.length;
    const folded = values.map(words);
    const arrays = [...COLS.map((k) => values.map((v) => v[k])), list.map((x) => x.seq), ...[0, 1, 2].map((i) => folded.map((f) => f[i]))];
    const types = [...COLS.map((k) => (k === 'latest_version' ? 'int[]' : 'text[]')), 'bigint[]', 'text[]', 'text[]', 'text[]'];
    // The papers, then their word vectors (a table of their own, migration 008) under the keys the papers got.
    await c.query(`WITH u AS (SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}`).join(', ')}) AS u(${COLS.join(', ')}, seq, t, a, x)),
      added AS (INSERT INTO papers (${COLS.join(', ')}, ingested_at, modified_at, change_seq)
        SELECT ${COLS.map((k) => `u.${k}`).join(', ')}, $${n + 5}, $${n + 5}, u.seq FROM u RETURNING pk, id)
      INSERT INTO paper_word_vectors (pk, words) SELECT added.pk, paper_words(u.t, u.a, u.x) FROM added JOIN u ON u.id = added.id`, [...arrays, stamp]);
    await insertChildren(c, list.map((x) => x.merged));
  }

  async function insertChildren(c: Tx, papers: PaperRecord[]): Promise<void> {
    const versions = papers.flatMap((p) => p.versions.map((v) => [p.id, v.version, v.submittedAt, v.size ?? null] as const));
    if (versions.length) {
      await c.query(`INSERT INTO paper_versions (paper_id, version, submitted_at, size) SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])`,
        [0, 1, 2, 3].map((i) => versions.map((v) => v[i])));
    }
    const cats = papers.flatMap((p) => [...new Set(p.categories)].map((cat) => [cat, p.id, cat === p.categories[0] ? 1 : 0] as const));
    if (cats.length) {
      await c.query(`INSERT INTO paper_categories (category, paper_id, is_primary) SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) ON CONFLICT DO NOTHING`,
        [0, 1, 2].map((i) => cats.map((x) => x[i])));
    }
  }

  async function getPapers(ids: string[]) {
    if (!ids.length) return [];
    // Named: prepared once per connection, as every page of search results asks it.
    const found = records((await db.query({ name: 'papers-by-id', text: `SELECT ${WITH_VERSIONS} FROM papers WHERE id = ANY($1)`, values: [ids] })).rows as RowWithVersions[]);
    return ids.flatMap((id) => {
      const r = found.get(id);
      return r ? [recordToPaper(r)] : [];
    });
  }

  return {
    async ingest(batch: IngestBatch): Promise<IngestResult> {
      const result = await tx(db, async (c) => {
        const result: IngestResult = { inserted: 0, updated: 0, unchanged: 0, signalsAdded: 0 };
        const stamp = now().toISOString();
        const papers = batch.papers ?? [];
        if (papers.length) {
          // The change sequence's row is locked until commit (see 001_schema.sql): numbers follow commit order.
          let seq = (await one<number>(c, `SELECT value FROM store_sequences WHERE name = 'papers' FOR UPDATE`))!;
          const first = seq;
          const stored = records(await rows<RowWithVersions>(c, `SELECT ${WITH_VERSIONS} FROM papers WHERE id = ANY($1)`, [[...new Set(papers.map((p) => p.id))]]));
          const inDb = new Set(stored.keys());
          // New papers wait to be inserted together; one seen twice in the batch is inserted once, as it ends up.
          const fresh = new Map<string, { merged: PaperRecord; seq: number }>();
          for (const p of papers) {
            const existing = stored.get(p.id) ?? null;
            const merged = mergeRecords(existing, p);
            if (existing && recordsEqual(existing, merged)) {
              result.unchanged++;
              continue;
            }
            seq++;
            if (inDb.has(p.id)) await updatePaper(c, merged, stamp, seq);
            else fresh.set(p.id, { merged, seq });
            stored.set(p.id, merged);
            result[existing ? 'updated' : 'inserted']++;
          }
          await insertPapers(c, [...fresh.values()], stamp);
          if (seq !== first) await c.query(`UPDATE store_sequences SET value = $1 WHERE name = 'papers'`, [seq]);
        }
        for (const s of batch.signals ?? []) {
          const r = await c.query(`INSERT INTO signals (paper_id, kind, source, observed_at, value) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (paper_id, kind, source, observed_at) DO UPDATE SET value = excluded.value WHERE signals.value <> excluded.value`,
          [s.paperId, s.kind, s.source, s.observedAt, s.value]);
          result.signalsAdded += r.rowCount ?? 0;
        }
        if (batch.harvestState) await saveHarvest(c, batch.harvestState);
        return result;
      });
      if (result.inserted || result.updated) versions.changed();
      return result;
    },

    async getPaper(id: string) {
      return (await getPapers([id]))[0] ?? null;
    },

    getPapers,

    async listPapers(o: ListOptions = {}) {
      const limit = o.limit ?? 50;
      const offset = o.offset ?? 0;
      const found = o.category
        ? await rows<RowWithVersions>(db, `SELECT p.pk, ${COLS.map((k) => `p.${k}`).join(', ')}, ${versionsOf('p')} FROM paper_categories c JOIN papers p ON p.id = c.paper_id
            WHERE c.category = $1 ORDER BY ${DAY.replaceAll('announced_at', 'p.announced_at').replaceAll('submitted_at', 'p.submitted_at')} DESC, p.id DESC LIMIT $2 OFFSET $3`, [o.category, limit, offset])
        : await rows<RowWithVersions>(db, `SELECT ${WITH_VERSIONS} FROM papers ORDER BY ${DAY} DESC, id DESC LIMIT $1 OFFSET $2`, [limit, offset]);
      const recs = records(found);
      return found.map((r) => recordToPaper(recs.get(r.id)!));
    },

    async signalsFor(paperId: string) {
      return (await rows<SignalRow>(db, 'SELECT * FROM signals WHERE paper_id = $1 ORDER BY observed_at, kind, source', [paperId])).map(rowToSignal);
    },

    async *searchDocuments(o: { changedAfter?: number } = {}): AsyncGenerator<SearchDocument> {
      // Pages by key (or change number), not one long cursor: the caller may pause between papers.
      const changes = o.changedAfter !== undefined;
      // A source's summary and keywords are indexed with the paper (saving them bumps its change_seq: extras.ts).
      const summary = `(SELECT concat_ws(' ', e.ai_summary, (SELECT string_agg(k, ' ') FROM jsonb_array_elements_text(e.ai_keywords::jsonb) k))
        FROM paper_extras e WHERE e.paper_id = papers.id)`;
      const cols = `pk, id, title, author_names, abstract, ${summary} AS summary, ${DAY} AS day, categories, change_seq`;
      let after = o.changedAfter ?? 0;
      for (;;) {
        const page = await rows<{ pk: number; id: string; title: string; author_names: string; abstract: string; summary: string | null; day: string | null; categories: string; change_seq: number }>(db,
          changes ? `SELECT ${cols} FROM papers WHERE change_seq > $1 ORDER BY change_seq LIMIT 2000` : `SELECT ${cols} FROM papers WHERE pk > $1 ORDER BY pk LIMIT 2000`, [after]);
        if (!page.length) return;
        for (const r of page) {
          yield {
            key: r.pk, id: r.id, title: r.title, authorNames: r.author_names, abstract: r.abstract, ...(r.summary ? { summary: r.summary } : {}),
            day: r.day && /^\d{4}-\d{2}-\d{2}$/.test(r.day) ? Number(r.day.replaceAll('-', '')) : 0,
            categories: r.categories ? r.categories.split(' ') : [],
          };
        }
        const last = page.at(-1)!;
        after = changes ? last.change_seq : last.pk;
      }
    },

    async contentVersion(o: { cached?: boolean } = {}): Promise<ContentVersion> {
      return versions.get(o.cached ?? false);
    },

    async getHarvestState(name: string) {
      const [r] = await rows<HarvestRow>(db, 'SELECT * FROM harvest_state WHERE name = $1', [name]);
      return r ? rowToHarvest(r) : null;
    },

    async saveHarvestState(state: HarvestState) {
      await saveHarvest(db, state);
    },

    async stats(): Promise<StoreStats> {
      const [r] = await rows<Record<string, number | string | null>>(db, `SELECT (SELECT count(*) FROM papers) AS papers,
        (SELECT count(*) FROM paper_versions) AS versions, (SELECT count(*) FROM signals) AS signals,
        (SELECT min(submitted_at) FROM papers) AS oldest, (SELECT max(submitted_at) FROM papers) AS newest,
        (SELECT max(announced_at) FROM papers) AS announced, pg_database_size(current_database()) AS size`);
      return {
        papers: r!.papers as number, versions: r!.versions as number, signals: r!.signals as number,
        byPrimaryCategory: await rows(db, `SELECT primary_category AS category, count(*) AS papers FROM papers
          WHERE primary_category IS NOT NULL GROUP BY primary_category ORDER BY papers DESC, category LIMIT 15`),
        oldestSubmitted: r!.oldest as string | null, newestSubmitted: r!.newest as string | null, newestAnnounced: r!.announced as string | null,
        harvests: (await rows<HarvestRow>(db, 'SELECT * FROM harvest_state ORDER BY name')).map(rowToHarvest),
        sizeBytes: r!.size as number,
      };
    },
  };
}

async function saveHarvest(q: Queryable, s: HarvestState): Promise<void> {
  const p = harvestToParams(s);
  await q.query(`INSERT INTO harvest_state (name, next_from, resumption_token, current_from, current_response_date,
      pages, records, last_success_at, last_error, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (name) DO UPDATE SET next_from = excluded.next_from, resumption_token = excluded.resumption_token,
      current_from = excluded.current_from, current_response_date = excluded.current_response_date,
      pages = excluded.pages, records = excluded.records, last_success_at = excluded.last_success_at,
      last_error = excluded.last_error, updated_at = excluded.updated_at`,
  [p.name, p.next_from, p.resumption_token, p.current_from, p.current_response_date, p.pages, p.records, p.last_success_at, p.last_error, p.updated_at]);
}
