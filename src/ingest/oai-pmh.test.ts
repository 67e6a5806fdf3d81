// Parsing OAI-PMH pages: the project's own small fixtures in all three formats, and the
// real captured pages from ../shared/data when they are present.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PaperboyError } from '../errors.js';
import { splitAuthors } from './author-list.js';
import { parseOaiPage, type OaiError, type OaiPage } from './oai-pmh.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/oai-pmh', name), 'utf8');
const page = (name: string, prefix: 'arXivRaw' | 'arXiv' | 'oai_dc') => {
  const p = parseOaiPage(fixture(name), prefix);
  assert.equal(p.kind, 'page');
  return p as OaiPage;
};

describe('parseOaiPage: arXivRaw', () => {
  test('reads versions, authors, categories and the resumption token', () => {
    const p = page('arXivRaw-page0.xml', 'arXivRaw');
    assert.equal(p.responseDate, '2025-03-20T10:00:00Z');
    assert.deepEqual(p.records.map((r) => r.id), ['2503.10001', 'cs/9901001']);
    assert.deepEqual(p.deletedIds, ['2503.10002']);
    assert.equal(p.resumptionToken, '7000|3');
    assert.equal(p.completeListSize, 6);
    assert.equal(p.cursor, 0);
    const r = p.records[0]!;
    assert.equal(r.title, 'Compiling Glassy Landscapes with & without Replicas');
    assert.equal(r.abstract, 'We study spin glasses with élan and compilers.');
    assert.deepEqual(r.versions, [
      { version: 1, submittedAt: '2025-03-17T09:30:00.000Z', size: '120kb' },
      { version: 2, submittedAt: '2025-03-19T14:05:10.000Z', size: '131kb' },
    ]);
    assert.deepEqual(r.authors, [
      { name: 'Grace Hopper', affiliations: ['Navy Lab'] },
      { name: 'Ada Lovelace', affiliations: ['Analytical Engine Society, London'] },
      { name: 'Alan Turing' },
    ]);
    assert.deepEqual(r.categories, ['cs.LG', 'cond-mat.dis-nn', 'stat.ML']);
    assert.equal(r.comment, '12 pages, 3 figures');
    assert.equal(r.journalRef, 'J. Stat. Mech. (2025) 033301');
    assert.equal(r.doi, '10.1088/1742-5468/test');
    assert.equal(r.license, 'http://creativecommons.org/licenses/by/4.0/');
    assert.deepEqual(p.records[1]!.authors, [{ name: 'J. Doe', affiliations: ['MIT'] }, { name: 'R. Roe', affiliations: ['CMU'] }]);
  });

  test('skips a record without a title and reports it', () => {
    const p = page('arXivRaw-page1.xml', 'arXivRaw');
    assert.deepEqual(p.records.map((r) => r.id), ['2503.10003', '2503.10005']);
    assert.equal(p.problems.length, 1);
    assert.match(p.problems[0]!, /2503\.10004.*no title/);
    assert.deepEqual(p.records[0]!.authors.map((a) => a.name), ['Kurt Godel', 'Emmy Noether', 'Alonzo Church']);
    assert.deepEqual(p.records[1]!.authors, [{ name: 'Claude E. Shannon, Jr.' }]);
  });

  test('an empty resumptionToken element ends the list', () => {
    const p = page('arXivRaw-page2-final.xml', 'arXivRaw');
    assert.equal(p.resumptionToken, null);
    assert.equal(p.cursor, 6);
    assert.equal(p.records[0]!.id, 'hep-th/9901001');
    assert.deepEqual(p.records[0]!.versions.map((v) => v.version), [1, 2, 3]);
  });
});

describe('parseOaiPage: arXiv and oai_dc', () => {
  test('arXiv: structured authors, with or without the xmlns on <arXiv>', () => {
    const p = page('arXiv.xml', 'arXiv');
    assert.deepEqual(p.records.map((r) => r.id), ['2503.20001', 'math/0211159']);
    const r = p.records[0]!;
    assert.deepEqual(r.authors, [
      { name: 'Ada Lovelace', affiliations: ['Analytical Engine Society', 'University of London'] },
      { name: 'Charles Babbage Jr' },
      { name: 'The Engine Collaboration' },
    ]);
    assert.equal(r.title, 'Difference Engines at Scale');
    assert.equal(r.submittedAt, '2025-03-17');
    assert.equal(r.updatedAt, '2025-03-19');
    assert.deepEqual(r.categories, ['cs.DC', 'cs.AR']);
    assert.equal(r.abstract, 'Notes on the engine.');
    assert.equal(r.license, 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/');
    assert.equal(p.records[1]!.title, 'The entropy formula for the Ricci flow');
    assert.equal(p.resumptionToken, null);
  });

  test('oai_dc: "Last, First" creators, Comment: descriptions, identifiers', () => {
    const p = page('oai_dc.xml', 'oai_dc');
    assert.deepEqual(p.records.map((r) => r.id), ['2503.30001', 'nlin/0202021']);
    const r = p.records[0]!;
    assert.equal(r.title, 'Dublin Core for Dummies');
    assert.deepEqual(r.authors, [{ name: 'Grace Hopper' }, { name: 'Guido van Rossum' }]);
    assert.equal(r.abstract, 'Metadata, minimally.');
    assert.equal(r.comment, '4 pages');
    assert.equal(r.doi, '10.1000/dc');
    assert.equal(r.submittedAt, '2025-03-17');
    assert.equal(p.records[1]!.authors[0]!.name, 'John Scott Russell');
    assert.equal(p.resumptionToken, null);
  });
});

describe('parseOaiPage: errors', () => {
  for (const code of ['noRecordsMatch', 'badResumptionToken', 'badArgument']) {
    test(`OAI error ${code}`, () => {
      const e = parseOaiPage(fixture(`error-${code}.xml`), 'arXivRaw') as OaiError;
      assert.equal(e.kind, 'error');
      assert.equal(e.code, code);
      assert.ok(e.message.length > 5);
    });
  }

  test('malformed XML is an upstream_protocol error', () => {
    assert.throws(() => parseOaiPage(fixture('malformed.xml'), 'arXivRaw'), (e: unknown) =>
      e instanceof PaperboyError && e.code === 'upstream_protocol' && /^Malformed OAI-PMH response: /.test(e.message));
    assert.throws(() => parseOaiPage('<html><body>Oops</body></html>', 'arXivRaw'), /no <OAI-PMH> root/);
  });
});

describe('splitAuthors', () => {
  test('commas, " and ", Oxford comma, parentheses with commas', () => {
    assert.deepEqual(splitAuthors('A. One, B. Two, and C. Three').map((a) => a.name), ['A. One', 'B. Two', 'C. Three']);
    assert.deepEqual(splitAuthors('Anders Anderson and Sandra Band'), [{ name: 'Anders Anderson' }, { name: 'Sandra Band' }]);
    assert.deepEqual(splitAuthors('X (Univ. A, Dept. B) and Y'), [{ name: 'X', affiliations: ['Univ. A, Dept. B'] }, { name: 'Y' }]);
    assert.deepEqual(splitAuthors('  '), []);
  });
});

const shared = path.resolve(repoRoot, '../shared/data/fixtures/oai-pmh');
describe('real arXiv pages', { skip: existsSync(shared) ? false : 'shared data not present' }, () => {
  test('arXivRaw page: 1000 records and the next token', () => {
    const xml = readFileSync(path.join(shared, 'arXivRaw/ListRecords_arXivRaw_resumption-496549-47001_2014-01-16.xml'), 'utf8');
    const p = parseOaiPage(xml, 'arXivRaw') as OaiPage;
    assert.equal(p.records.length + p.problems.length, 1000);
    assert.equal(p.records.length, 1000, p.problems.join('\n'));
    assert.equal(p.resumptionToken, '496549|47001');
    assert.equal(p.completeListSize, 907096);
    assert.ok(p.records.every((r) => r.versions.length > 0 && r.categories.length > 0 && r.authors.length > 0));
  });

  test('arXiv page without xmlns on <arXiv>, and the last oai_dc page', () => {
    const a = parseOaiPage(readFileSync(path.join(shared, 'arXiv/ListRecords_arXiv_page00_2018-06-17.xml'), 'utf8'), 'arXiv') as OaiPage;
    assert.equal(a.records.length, 1000, a.problems.join('\n'));
    assert.equal(a.resumptionToken, '2752941|1001');
    assert.equal(a.records[0]!.authors[0]!.name, 'C. Balázs');
    const d = parseOaiPage(readFileSync(path.join(shared, 'oai_dc/ListRecords_oai_dc_from-2023-03-07_page2-final.xml'), 'utf8'), 'oai_dc') as OaiPage;
    assert.equal(d.records.length, 265, d.problems.join('\n'));
    assert.equal(d.resumptionToken, null);
    assert.equal(d.completeListSize, 2265);
  });
});

describe('parseOaiPage: bounds', () => {
  test('a harvested record over a field bound is skipped with the reason, like an imported one', () => {
    const xml = fixture('arXivRaw-page0.xml').replace('<abstract>Old ideas.</abstract>', `<abstract>${'x'.repeat(25_000)}</abstract>`);
    const p = parseOaiPage(xml, 'arXivRaw') as OaiPage;
    assert.deepEqual(p.records.map((r) => r.id), ['2503.10001']);
    assert.ok(p.problems.some((m) => /cs\/9901001.*abstract is 25,000 characters; the limit is 20,000/.test(m)), p.problems.join('\n'));
  });
});
