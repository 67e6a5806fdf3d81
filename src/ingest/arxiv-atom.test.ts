// Unit tests for the arXiv API Atom parser: the project's own fixtures, and the real
// recorded responses when the shared data folder is present.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PaperboyError } from '../errors.js';
import { isArxivCategory, parseArxivAtom } from './arxiv-atom.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/arxiv-atom', name), 'utf8');
const SHARED = path.resolve(repoRoot, '../shared/data/fixtures/arxiv-api-atom');

describe('parseArxivAtom', () => {
  test('new-style ids, https links, affiliations, non-arXiv category terms', () => {
    const page = parseArxivAtom(fixture('new-style.xml'));
    assert.deepEqual({ t: page.totalResults, s: page.startIndex, n: page.itemsPerPage }, { t: 3, s: 0, n: 10 });
    assert.deepEqual(page.problems, []);
    assert.deepEqual(page.records.map((r) => r.id), ['2503.11731', '2503.10002', '2502.00100']);
    const r = page.records[0]!;
    assert.equal(r.title, 'Sparse Diffusion Samplers for Tabular Data');
    assert.equal(r.abstract, 'We study diffusion samplers that keep only a sparse set of coordinates active.');
    assert.deepEqual(r.authors, [
      { name: 'Ada Example', affiliations: ['University of Nowhere', 'Institute of Examples'] },
      { name: 'Bo Sample' },
      { name: 'Chloé Testcase', affiliations: ['Lab & Co.'] },
    ]);
    assert.deepEqual(r.categories, ['cs.LG', 'cs.AI', 'stat.ML'], 'MSC and ACM codes dropped');
    assert.deepEqual(r.versions, [
      { version: 1, submittedAt: '2025-03-14T17:59:58.000Z' },
      { version: 2, submittedAt: '2025-03-20T10:15:00.000Z' },
    ]);
    assert.equal(r.submittedAt, '2025-03-14T17:59:58.000Z');
    assert.equal(r.updatedAt, '2025-03-20T10:15:00.000Z');
    assert.equal(r.comment, '12 pages, 4 figures; v2 fixes a proof');
    assert.equal(r.journalRef, 'Proc. Imaginary Conf. 2025, 1-12');
    assert.equal(r.doi, '10.0000/fixture.2025.001');
    assert.equal(r.announcedAt, null);
    const p = page.records[2]!;
    assert.deepEqual(p.categories, ['q-bio.NC', 'physics.optics', 'cond-mat.mes-hall'], 'primary first');
    assert.deepEqual(page.records[1]!.versions, [{ version: 1, submittedAt: '2025-03-13T08:00:00.000Z' }]);
    assert.equal(page.records[1]!.comment, null);
  });

  test('old-style ids and the classic http feed', () => {
    const page = parseArxivAtom(fixture('old-style.xml'));
    assert.deepEqual(page.records.map((r) => r.id), ['hep-th/9901001', 'quant-ph/0210005']);
    const [a, b] = page.records;
    assert.deepEqual(a!.versions.map((v) => v.version), [1, 3]);
    assert.deepEqual(a!.categories, ['hep-th', 'math.AG']);
    assert.deepEqual(a!.authors[0], { name: 'F. Old', affiliations: ['Somewhere Institute'] });
    assert.equal(a!.comment, 'LaTeX, 20 pages');
    assert.deepEqual(b!.categories, ['quant-ph']);
    assert.equal(b!.journalRef, 'Imag. Phys. Lett. 1 (2003) 1');
  });

  test('the API error feed is a bad_input error with the message', () => {
    assert.throws(() => parseArxivAtom(fixture('error.xml')), (e: unknown) =>
      e instanceof PaperboyError && e.code === 'bad_input' && e.message === 'arXiv API error: incorrect id format for 1234.12345');
  });

  test('zero results', () => {
    const page = parseArxivAtom(fixture('empty.xml'));
    assert.deepEqual(page, { totalResults: 0, startIndex: 0, itemsPerPage: 10, records: [], problems: [] });
  });

  test('malformed XML and a non-Atom document are protocol errors', () => {
    assert.throws(() => parseArxivAtom(fixture('malformed.xml')), (e: unknown) =>
      e instanceof PaperboyError && e.code === 'upstream_protocol' && /^Malformed arXiv API response: /.test(e.message));
    assert.throws(() => parseArxivAtom('<html><body>Rate exceeded</body></html>'), /no Atom <feed>/);
  });

  test('entries it cannot read are problems, not errors', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><totalResults>3</totalResults>
      <entry><id/><title/></entry>
      <entry><id>http://arxiv.org/abs/not-an-id</id><title>X</title></entry>
      <entry><id>http://arxiv.org/abs/2503.10002v1</id><title>Kept</title></entry></feed>`;
    const page = parseArxivAtom(xml);
    assert.deepEqual(page.records.map((r) => r.id), ['2503.10002']);
    assert.equal(page.problems.length, 2);
    assert.match(page.problems[0]!, /entry 1: no id/);
    assert.match(page.problems[1]!, /entry 2: unreadable arXiv id/);
  });

  test('isArxivCategory', () => {
    for (const c of ['cs.LG', 'hep-th', 'math.AG', 'physics.optics', 'q-bio.NC', 'astro-ph.CO', 'cond-mat.mes-hall', 'physics.ed-ph']) {
      assert.ok(isArxivCategory(c), c);
    }
    for (const c of ['03B70, 68Q99', 'F.4.1; F.4.m; K.2', '68T05', 'I.2.6', '']) assert.ok(!isArxivCategory(c), c);
  });
});

describe('real arXiv API responses', { skip: existsSync(SHARED) ? false : `no shared data at ${SHARED}` }, () => {
  test('search all:science, 10 entries', () => {
    const page = parseArxivAtom(readFileSync(path.join(SHARED, 'query_search-all-science_start0_max10_2019-08-10.xml'), 'utf8'));
    assert.equal(page.totalResults, 120839);
    assert.equal(page.records.length, 10);
    assert.deepEqual(page.problems, []);
    const ids = page.records.map((r) => r.id);
    assert.ok(ids.includes('quant-ph/0210005') && ids.includes('physics/0507092'));
    const logic = page.records.find((r) => r.id === '1802.03292')!;
    assert.deepEqual(logic.categories, ['cs.LO'], 'MSC and ACM terms dropped');
    const withAff = page.records.find((r) => r.id === 'physics/0507092')!;
    assert.ok(withAff.authors.some((a) => a.affiliations?.includes('Bologna University and INFN')));
    const edu = page.records.find((r) => r.id === '1503.01162')!;
    assert.equal(edu.doi, '10.1007/s11191-014-9716-8');
    assert.match(edu.journalRef ?? '', /^Science & Education/);
    assert.deepEqual(edu.categories.slice(0, 2), ['physics.ed-ph', 'physics.hist-ph']);
  });

  test('id_list 1712.05771, 1 entry', () => {
    const page = parseArxivAtom(readFileSync(path.join(SHARED, 'query_id_list-1712.05771_2020-01-31.xml'), 'utf8'));
    assert.equal(page.totalResults, 1);
    const [r] = page.records;
    assert.equal(r?.id, '1712.05771');
    assert.equal(r?.title, 'Unsupervised Machine Learning on a Hybrid Quantum Computer');
    assert.equal(r?.authors.length, 30);
    assert.deepEqual(r?.categories, ['quant-ph']);
    assert.equal(r?.comment, '7 pages + appendix, many figures');
  });
});
