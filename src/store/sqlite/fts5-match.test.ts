import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { mulberry32 } from '../../random.js';
import { parseQuery } from '../../search/query-parser.js';
import type { Alternative, TextConstraints } from '../../text/constraints.js';
import { excludedMatch, positiveMatch } from './fts5-match.js';

const term = (text: string): Alternative => ({ kind: 'term', text });
const prefix = (text: string): Alternative => ({ kind: 'prefix', text });
const phrase = (text: string): Alternative => ({ kind: 'phrase', text });

// The same table shape and tokenizer as papers_fts, so FTS5 judges the syntax exactly as in production.
const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE t USING fts5(title, author_names, abstract, tokenize='porter unicode61 remove_diacritics 2')`);
const insert = db.prepare('INSERT INTO t (rowid, title, author_names, abstract) VALUES (?, ?, ?, ?)');
insert.run(1, 'State-of-the-art graph neural networks', 'Ada Lovelace; Alan Turing', 'We study message passing on graphs and transformers.');
insert.run(2, 'Score matching for diffusion models', 'Yann LeCun', 'Diffusion models learn the score; mode collapse is rare.');
insert.run(3, 'Generative adversarial networks', 'Ian Goodfellow', 'A GAN can suffer from mode collapse. Über naïve café.');
const matchStmt = db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid');
const matches = (expr: string) => matchStmt.all(expr).map((r) => (r as { rowid: number }).rowid);

/** Every word, phrase and prefix of a query as a constraint (search itself leaves plain words to its index). */
function constraintsOf(input: string): TextConstraints {
  const q = parseQuery(input);
  return { clauses: q.groups, title: q.filters.title, authors: q.filters.authors, excluded: q.excluded };
}
const positive = (input: string) => positiveMatch(constraintsOf(input));
/** Rows matching the positive part and none of the excluded. */
function search(input: string): number[] {
  const pos = positive(input);
  const exc = excludedMatch(constraintsOf(input));
  const out = pos ? matches(pos) : [];
  const drop = new Set(exc ? matches(exc) : []);
  return out.filter((r) => !drop.has(r));
}

describe('FTS5 expressions of text constraints', () => {
  test('quotes every term, ANDs clauses, ORs alternatives, prefixes as "x" *', () => {
    assert.equal(positive('graph neural'), '"graph" AND "neural"');
    assert.equal(positive('diffusion OR flow "score matching" transfo*'), '("diffusion" OR "flow") AND "score matching" AND "transfo" *');
    assert.equal(positive('NEAR AND x OR NOT'), '"near" AND "x"', 'a trailing NOT is an operator without operand');
  });

  test('exclusions are one OR of their own; title words a column filter; authors near their initials', () => {
    assert.equal(positive('diffusion -gan -"mode collapse"'), '"diffusion"');
    assert.equal(excludedMatch(constraintsOf('diffusion -gan -"mode collapse" -gan')), '("gan" OR "mode collapse")');
    assert.equal(positive('title:graph* ti:neural'), 'title : ("graph" * AND "neural")');
    assert.equal(positive('author:"Yann LeCun"'), 'author_names : NEAR("y" * "lecun", 2)');
  });

  test('null when nothing positive to match, or nothing excluded', () => {
    for (const input of ['', '   ', '-gan', 'cat:cs.LG since:2025', '2503.11731', '+++', 'NOT x']) assert.equal(positive(input), null, input);
    assert.equal(excludedMatch(constraintsOf('graphs')), null);
  });

  test('stop words are dropped unless the query is only stop words or they are in a phrase', () => {
    assert.equal(positive('the score of a model'), '"score" AND "model"');
    assert.equal(positive('the who'), '"the" AND "who"');
    assert.equal(positive('"the who" live'), '"the who" AND "live"');
    assert.equal(positive('the OR graphs model'), '"model"', 'an OR-group with a stop word constrains nothing');
    assert.equal(excludedMatch(constraintsOf('graphs -the')), null);
  });

  test('escapes double quotes and NULs in hand-built alternatives', () => {
    const expr = positiveMatch({ clauses: [[term('say "hi"')], [prefix('a\0b')]], title: [], authors: [], excluded: [phrase('')] })!;
    assert.equal(expr, '"say ""hi""" AND "a b" *');
    assert.doesNotThrow(() => matches(expr));
  });

  test('compiled constraints find the right rows', () => {
    assert.deepEqual(search('state-of-the-art'), [1]);
    assert.deepEqual(search('"mode collapse" -gan'), [2]);
    assert.deepEqual(search('mode NOT diffusion'), [3]);
    assert.deepEqual(search('netw*'), [1, 3]);
    assert.deepEqual(search('title:networks'), [1, 3]);
    assert.deepEqual(search('lecun OR turing'), [1, 2]);
    assert.deepEqual(search('uber naive cafe'), [3], 'diacritics are removed on both sides');
  });
});

/** The expression with its quoted strings removed may only contain FTS5 syntax we emit. */
function assertOnlyOurSyntax(expr: string) {
  const rest = expr.replace(/"(?:[^"]|"")*"/g, ' S ');
  assert.match(rest, /^(?:\s|S|\*|\(|\)|AND|OR|NOT|NEAR|,|\d|title :|author_names :)*$/, `unexpected syntax in ${JSON.stringify(expr)}`);
}

/** Checks one input end to end; returns how many expressions SQLite ran. */
function assertTotal(input: string): number {
  let compiled = 0;
  for (const expr of [positive(input), excludedMatch(constraintsOf(input))]) {
    if (expr === null) continue;
    assertOnlyOurSyntax(expr);
    try {
      matches(expr);
      compiled++;
    } catch (err) {
      assert.fail(`FTS5 rejected ${JSON.stringify(expr)} from ${JSON.stringify(input)}: ${(err as Error).message}`);
    }
  }
  return compiled;
}

describe('hostile input', () => {
  const hostile = ['', ' ', '\t\n ', '"', '""', '"""', '*', '**', '(', ')', '()', 'NEAR(a b)', 'NEAR/2', ':', '-', '--', 'a:', ':b',
    '^', '+', '|', '||', 'OR', 'AND', 'NOT', 'NOT NOT', '"a" * *', '-"', '-"-"', 'title:', 'title:"', 'cat:"', 'sort:', 'author:"', 'au:é',
    '😀 🧪', 'שלום עולם', 'مرحبا بالعالم', 'e\u0301\u0301', '\u0301', 'a\u0000b', '\u0000', '\ud800', 'x\udfff',
    '漢字検索', 'x'.repeat(10_000), '"'.repeat(10_000), 'a OR '.repeat(2_000), '-'.repeat(10_000), '(('.repeat(3_000)];
  for (const input of hostile) {
    test(`never throws: ${JSON.stringify(input.slice(0, 20))}${input.length > 20 ? '…' : ''}`, () => { assertTotal(input); });
  }

  test('seeded fuzz: 3,000 random queries compile to FTS5 that SQLite accepts', () => {
    const rand = mulberry32(20250601);
    const pieces = ['"', '*', '(', ')', ':', '^', '-', '+', '|', ' ', ' ', ' ', '  ', '\t', 'a', 'b', 'x', 'ab', 'graph', 'Net',
      'OR', 'AND', 'NOT', 'NEAR', 'near', 'é', 'ü', 'ß', '漢', '😀', 'ש', 'م', '\u0301', '\u0000', '\ud800', '＂', '＊', '“', '”',
      'cat:', 'author:', 'au:', 'title:', 'ti:', 'year:', 'since:', 'before:', 'sort:', 'foo:', 'http://', '2025', '-06', '.',
      'cs.LG', '2503.11731', 'the', 'of', '/', '\\', "'", '{', '}', '[', ']', '#', '@', '%', '0', '9'];
    let compiled = 0;
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(rand() * 30);
      let s = '';
      for (let k = 0; k < n; k++) s += pieces[Math.floor(rand() * pieces.length)];
      compiled += assertTotal(s);
    }
    assert.ok(compiled > 1500, `only ${compiled} expressions reached SQLite`);
  });
});
