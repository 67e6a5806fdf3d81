// Migrations of the PostgreSQL engine on a database that already holds papers: 003 (one
// weighted word vector instead of three) gives every stored paper its vector, so text
// conditions find papers stored before it, in the fields they were in; 011 moves vectors
// stored out of the row back into it, and they still match.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { keysById } from './contract/fixtures.js';
import { testPostgres } from './support/postgres.js';

const server = await testPostgres();
after(() => ('skip' in server ? undefined : server.stop()));
const skip = 'skip' in server ? server.skip : false;
/** Distinct made-up words (letters only), enough of them for a vector PostgreSQL would store out of the row. */
const manyWords = (n: number) => Array.from({ length: n }, (_, i) => `zq${[...(i + 1000).toString(26)].map((d) => String.fromCharCode(97 + Number.parseInt(d, 26))).join('')}`).join(' ');
const migration = (file: string) => readFileSync(new URL(`../src/store/postgres/migrations/${file}`, import.meta.url), 'utf8');

test('migration 003 fills the word vector of papers stored before it', { skip }, async () => {
  if ('skip' in server) return;
  const url = await server.freshDatabase();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  // The database as migrations 001 and 002 left it, with a paper written as the engine then wrote them.
  await c.query(`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`);
  for (const [v, file] of [[1, '001_schema.sql'], [2, '002_personal.sql']] as const) {
    await c.query(migration(file));
    await c.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [v, file, '2026-01-01T00:00:00.000Z']);
  }
  await c.query(`INSERT INTO papers (id, title, abstract, authors, author_names, categories, ingested_at, modified_at, change_seq, title_tsv, authors_tsv, all_tsv)
    VALUES ('2501.00001', 'Score matching for diffusion', 'Naïve networks of graphs.', '[{"name":"Yann LeCun"}]', 'Yann LeCun', 'cs.LG', 'x', 'x', 1,
      to_tsvector('paperboy', 'Score matching for diffusion'), to_tsvector('paperboy', 'Yann LeCun'), to_tsvector('paperboy', 'x')),
    ('2501.00002', 'A long abstract', $1, '[{"name":"Ada Lovelace"}]', 'Ada Lovelace', 'cs.LG', 'x', 'x', 2,
      to_tsvector('paperboy', 'A long abstract'), to_tsvector('paperboy', 'Ada Lovelace'), to_tsvector('paperboy', 'x'))`, [`${manyWords(600)} closing remarks`]);
  await c.end();

  const store = openPostgresStore(url);
  await store.migrate();
  const none = { clauses: [], title: [], authors: [], excluded: [] };
  const keys = [...(await keysById(store)).values()];
  const found = async (q: object) => (await store.papersMeeting({ ...none, ...q }, keys)).size;
  assert.equal(await found({ clauses: [[{ kind: 'phrase', text: 'naive network' }]] }), 1, 'abstract words, folded and stemmed');
  assert.equal(await found({ title: [{ kind: 'phrase', text: 'score matching' }] }), 1, 'title words');
  assert.equal(await found({ title: [{ kind: 'term', text: 'graphs' }] }), 0, 'abstract words are not title words');
  assert.equal(await found({ authors: ['Y. LeCun'] }), 1, 'authors');
  assert.equal((await store.getPaper('2501.00001'))?.title, 'Score matching for diffusion');
  assert.equal(await found({ clauses: [[{ kind: 'phrase', text: 'closing remarks' }]] }), 1, 'the last words of a long abstract');
  const check = new pg.Client({ connectionString: url });
  await check.connect();
  const [where] = (await check.query(`SELECT pg_column_size(words) AS bytes, pg_relation_size(reltoastrelid) AS toast FROM paper_word_vectors, pg_class
    WHERE relname = 'paper_word_vectors' AND pk = (SELECT pk FROM papers WHERE id = '2501.00002')`)).rows;
  await check.end();
  assert.ok(where.bytes > 2500, `a vector that would have gone out of the row (${where.bytes} bytes)`);
  assert.equal(where.toast, 0, 'every vector is kept in its row (migration 011)');
  await store.close();
});
