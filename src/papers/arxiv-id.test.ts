import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArxivId, pdfUrl } from './arxiv-id.js';

test('new-style ids, versions, prefixes and URLs', () => {
  assert.deepEqual(parseArxivId('2503.11731'), { id: '2503.11731', version: null });
  assert.deepEqual(parseArxivId('2503.11731v2'), { id: '2503.11731', version: 2 });
  assert.deepEqual(parseArxivId('arXiv:0704.0001'), { id: '0704.0001', version: null });
  assert.deepEqual(parseArxivId(' https://arxiv.org/abs/2503.11731v3 '), { id: '2503.11731', version: 3 });
  assert.deepEqual(parseArxivId('arxiv.org/pdf/2503.11731v1.pdf'), { id: '2503.11731', version: 1 });
  assert.deepEqual(parseArxivId('http://export.arxiv.org/abs/2503.11731/'), { id: '2503.11731', version: null });
});

test('old-style ids keep their archive and drop a subject class', () => {
  assert.deepEqual(parseArxivId('hep-th/9901001'), { id: 'hep-th/9901001', version: null });
  assert.deepEqual(parseArxivId('math.AG/0211159v2'), { id: 'math/0211159', version: 2 });
  assert.deepEqual(parseArxivId('https://arxiv.org/abs/quant-ph/0210005v1'), { id: 'quant-ph/0210005', version: 1 });
});

test('things that are not arXiv ids', () => {
  for (const s of ['', 'hello', '2513.00001', '25031.1731', 'hep-th/990100', '10.1000/xyz', '2503.117']) {
    assert.equal(parseArxivId(s), null, s);
  }
});

test('pdf links name the version when known', () => {
  assert.equal(pdfUrl('2503.11731', 2), 'https://arxiv.org/pdf/2503.11731v2');
  assert.equal(pdfUrl('hep-th/9901001'), 'https://arxiv.org/pdf/hep-th/9901001');
});
