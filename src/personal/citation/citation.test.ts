// Citation formats: arXiv's BibTeX conventions, round trips through every format, and
// bad files reported line by line with nothing imported.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyRecord, type Paper } from '../../papers/paper.js';
import { FORMATS, parseImport, type CitationFormat } from '../library.js';
import { parseBibtex, toBibtex } from './bibtex.js';
import { cslOf } from './csl.js';
import { parseRis } from './ris.js';

function paper(id: string, title: string, authors: string[], over: Partial<Paper> = {}): Paper {
  return {
    ...emptyRecord(id, title, 'An abstract with 50% & more.'), authors: authors.map((name) => ({ name })), categories: ['cs.CL', 'cs.LG'],
    versions: [{ version: 1, submittedAt: '2017-06-12T17:57:34Z' }, { version: 7, submittedAt: '2023-08-02T00:41:18Z' }],
    submittedAt: '2017-06-12T17:57:34Z', primaryCategory: 'cs.CL', latestVersion: 7,
    links: { abs: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` }, ...over,
  };
}

const attention = paper('1706.03762', 'Attention Is All You Need', ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar']);

test('BibTeX follows arXiv’s own export: key, entry type and fields', () => {
  assert.equal(toBibtex([cslOf(attention)]), `@misc{vaswani2023attentionneed,
      title={Attention Is All You Need}, 
      author={Ashish Vaswani and Noam Shazeer and Niki Parmar},
      year={2023},
      eprint={1706.03762},
      archivePrefix={arXiv},
      primaryClass={cs.CL},
      url={https://arxiv.org/abs/1706.03762}, 
}
`);
  // Leading small words are skipped, accents folded; two equal keys are told apart.
  const on = paper('2108.07258', 'On the Opportunities and Risks of Foundation Models', ['Rishi Bommasani'], { versions: [{ version: 1, submittedAt: '2022-07-12T00:00:00Z' }] });
  const accent = { ...cslOf(paper('2501.00001', 'Équivariance', ['José Núñez'], { versions: [{ version: 1, submittedAt: '2025-01-01T00:00:00Z' }] })), title: 'Équivariance & {Symmetry' };
  const bib = toBibtex([cslOf(on), cslOf(on), accent]);
  assert.match(bib, /@misc\{bommasani2022opportunitiesrisksfoundation,/);
  assert.match(bib, /@misc\{bommasani2022opportunitiesrisksfoundationa,/);
  assert.match(bib, /@misc\{nunez2025equivariancesymmetry,\n {6}title=\{Équivariance \\& \\\{Symmetry\}/, 'specials escaped, an unbalanced brace too');
});

test('a library round-trips through each format', () => {
  const items = [cslOf(attention), cslOf(paper('hep-th/9901001', 'Strings on $AdS_5$', ['Juan Maldacena'])),
    { id: 'knuth1984', type: 'article-journal', title: 'Literate Programming', author: [{ family: 'Knuth', given: 'Donald E.' }], issued: { 'date-parts': [[1984]] }, DOI: '10.1093/comjnl/27.2.97', 'container-title': 'The Computer Journal' }];
  for (const f of Object.keys(FORMATS) as CitationFormat[]) {
    const r = parseImport(FORMATS[f].write(items));
    assert.ok(r.ok, `${f}: ${JSON.stringify(!r.ok && r.errors)}`);
    assert.equal(r.format, f);
    const back = r.change.library!.add!;
    assert.deepEqual(back.map((i) => i.key), ['arxiv:1706.03762', 'arxiv:hep-th/9901001', 'doi:10.1093/comjnl/27.2.97'], f);
    assert.deepEqual(back.map((i) => i.item.title), ['Attention Is All You Need', 'Strings on AdS₅', 'Literate Programming'], f);
    assert.deepEqual(back[0]!.item.author, [{ given: 'Ashish', family: 'Vaswani' }, { given: 'Noam', family: 'Shazeer' }, { given: 'Niki', family: 'Parmar' }], f);
    assert.deepEqual(back.map((i) => i.item.issued?.['date-parts']?.[0]?.[0]), [2023, 2023, 1984], f);
    assert.equal(back[2]!.item['container-title'], 'The Computer Journal', f);
  }
});

test('what Zotero and publishers write is read: lower-case fields, @string, #, accents, eprinttype', () => {
  const r = parseBibtex(`% exported by Zotero
@string{ jml = "Journal of " }
@article{smith_deep_2020,
  title = {{Deep} learning for {\\"O}rebro},
  author = {Sm{\\'i}th, Jane and {The Team}},
  journal = jml # {Machine Learning},
  year = 2020,
  month = jun,
  eprinttype = {arxiv},
  eprint = {2001.00001},
}
@comment{ nothing here }`);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  const [item] = r.items;
  assert.equal(item!.title, 'Deep learning for Örebro');
  assert.deepEqual(item!.author, [{ family: 'Smíth', given: 'Jane' }, { literal: 'The Team' }]);
  assert.equal(item!['container-title'], 'Journal of Machine Learning');
  assert.equal(parseImport(FORMATS.bibtex.write(r.items)).ok && (parseImport(FORMATS.bibtex.write(r.items)) as { change: { library: { add: { key: string }[] } } }).change.library.add[0]!.key, 'arxiv:2001.00001');
});

test('bad BibTeX is reported line by line and nothing is imported', () => {
  const text = `@article{good, title = {Fine}, year = 2020}

@article{nokey title = {x}}
@article{broken,
  title = {Never closed,
  year = 2020
}
@misc{untitled, author = {A. Person}}
@article{ok2, title = {Also fine}}`;
  const r = parseImport(text);
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.errors.map((e) => e.line), [3, 5, 8]);
  assert.match(!r.ok ? r.errors[0]!.message : '', /expected “,” after the key “nokey”/);
  assert.match(!r.ok ? r.errors[1]!.message : '', /value of “title” runs into the next entry/);
  assert.match(!r.ok ? r.errors[2]!.message : '', /“untitled” has no title/);
});

test('bad RIS and CSL-JSON are reported with their lines', () => {
  const ris = parseRis('TY  - JOUR\r\nTI  - Fine\r\nER  - \r\n\r\nTY  - JOUR\r\nAU  - Nobody\r\nER  - \r\nTI - one space\r\nTY  - GEN\r\nTI  - Open\r\n');
  assert.deepEqual(!ris.ok && ris.errors.map((e) => e.line), [5, 8, 9]);
  const json = parseImport('[\n  {"title": "ok"},\n  {"title": }\n]');
  assert.deepEqual(!json.ok && json.errors.map((e) => e.line), [3]);
  const untitled = parseImport('[\n  {"title": "ok"},\n  {\n    "type": "book"\n  }\n]');
  assert.deepEqual(!untitled.ok && untitled.errors, [{ line: 3, message: 'item 2 has no title' }]);
  assert.equal(parseImport('just some text').ok, false);
});
