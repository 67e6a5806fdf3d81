// Contract: the text conditions an index of words cannot check (TextConstraints), which
// each engine answers with its own full-text machinery (FTS5, tsvector) and must answer alike.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alternative, TextConstraints } from '../../src/text/constraints.js';
import { createSearchEngine } from '../../src/search/search.js';
import { paperFilterOf } from '../../src/search/text-conditions.js';
import { keysById, record, type Open } from './fixtures.js';

const term = (text: string): Alternative => ({ kind: 'term', text });
const phrase = (text: string): Alternative => ({ kind: 'phrase', text });
const prefix = (text: string): Alternative => ({ kind: 'prefix', text });
const none: TextConstraints = { clauses: [], title: [], authors: [], excluded: [] };

export function textContract(open: Open): void {
  test('text constraints: phrases, prefixes, OR-groups, title words, authors and exclusions', async () => {
    const store = await open();
    const paper = (id: string, title: string, abstract: string, authors: string[]) => record(id, { title, abstract, authors: authors.map((name) => ({ name })) });
    await store.ingest({ papers: [
      paper('2501.00001', 'Score matching for diffusion models', 'We match the score of a state-of-the-art model. Über naïve café.', ['Yann LeCun', 'Ada Lovelace']),
      paper('2501.00002', 'Matching scores of graph networks', 'A score and a matching: neural networks on graphs.', ['Kun He', 'Wei Zhang']),
      paper('2501.00003', 'Generative adversarial networks', 'Mode collapse in a GAN; the score is matching nothing.', ['Kaiming He', 'Y. LeCun']),
      paper('2501.00004', 'The Who live', 'A network of the who and what.', ['Ian Goodfellow']),
    ] });
    const keys = await keysById(store);
    const ids = (set: Set<number> | null) => (set === null ? null : [...keys].filter(([, k]) => set.has(k)).map(([id]) => id).sort());
    const include = async (c: Partial<TextConstraints>) => ids((await store.constraintKeys({ ...none, ...c })).include);
    const exclude = async (c: Partial<TextConstraints>) => ids((await store.constraintKeys({ ...none, ...c })).exclude);

    assert.deepEqual(await store.constraintKeys(none), { include: null, exclude: null }, 'nothing asked, nothing constrained');
    assert.deepEqual(await include({ clauses: [[phrase('score matching')]] }), ['2501.00001'], 'a phrase is its words in order');
    assert.deepEqual(await include({ clauses: [[phrase('state of the art')]] }), ['2501.00001'], 'punctuation breaks words alike');
    assert.deepEqual(await include({ clauses: [[phrase('neural network')]] }), ['2501.00002'], 'words are stemmed (networks, network)');
    assert.deepEqual(await include({ clauses: [[prefix('netw')]] }), ['2501.00002', '2501.00003', '2501.00004']);
    assert.deepEqual(await include({ clauses: [[phrase('mode collapse'), phrase('graph networks')]] }), ['2501.00002', '2501.00003'], 'an OR-group');
    assert.deepEqual(await include({ clauses: [[prefix('netw')], [phrase('mode collapse')]] }), ['2501.00003'], 'clauses are AND-ed');
    assert.deepEqual(await include({ clauses: [[phrase('cafe')]] }), ['2501.00001'], 'accents are folded');
    assert.deepEqual(await include({ title: [term('networks')] }), ['2501.00002', '2501.00003'], 'title words only in the title');
    assert.deepEqual(await include({ title: [prefix('gen')], clauses: [[phrase('mode collapse')]] }), ['2501.00003']);
    assert.deepEqual(await include({ clauses: [[phrase('the who')]] }), ['2501.00004'], 'a phrase of stop words is still a phrase');
    assert.deepEqual(await include({ clauses: [[term('the'), phrase('mode collapse')]], title: [term('networks')] }), ['2501.00002', '2501.00003'],
      'an OR-group with a stop word constrains nothing');

    assert.deepEqual(await include({ authors: ['LeCun'] }), ['2501.00001', '2501.00003'], 'a family name alone');
    assert.deepEqual(await include({ authors: ['Yann LeCun'] }), ['2501.00001', '2501.00003'], 'an initial matches a given name');
    assert.deepEqual(await include({ authors: ['Kaiming He'] }), ['2501.00003'], 'not Kun He');
    assert.deepEqual(await include({ authors: ['K. He'] }), ['2501.00002', '2501.00003']);
    assert.deepEqual(await include({ authors: ['W. He'] }), [], 'an initial of one author and the family name of another are not a person');
    assert.deepEqual(await include({ authors: ['Ada Lovelace', 'Yann LeCun'] }), ['2501.00001'], 'every author');
    assert.deepEqual(await include({ authors: ['Networks'] }), [], 'authors among the author names only');
    assert.deepEqual(await include({ title: [phrase('diffusion models')], authors: ['LeCun'] }), ['2501.00001'], 'title words and an author together');
    assert.deepEqual(await include({ title: [term('lecun')] }), [], 'an author name is not a title word');

    assert.deepEqual(await exclude({ excluded: [phrase('mode collapse'), term('graphs')] }), ['2501.00002', '2501.00003']);
    assert.equal(await include({ excluded: [term('gan')] }), null, 'exclusions alone include everything');
    assert.equal(await exclude({ excluded: [term('the')] }), null, 'an excluded stop word excludes nothing');
    assert.deepEqual(await include({ clauses: [[phrase('say "hi" \0 to * (x) OR y:')]] }), [], 'quotes and operators are only text');
    assert.deepEqual(await include({ clauses: [[prefix('networks')]] }), ['2501.00002', '2501.00003', '2501.00004'], 'a prefix is stemmed as a word is (networks, network)');
    assert.deepEqual(await include({ clauses: [[phrase('models yann')]] }), [], 'a phrase does not run from the title into the authors');
    assert.deepEqual(await exclude({ excluded: [prefix('netw')] }), ['2501.00002', '2501.00003', '2501.00004'], 'an excluded prefix');
    await store.close();
  });

  test('search answers excluded words, prefixes and title words from its word index, as the engine answers them', async () => {
    const store = await open();
    const paper = (id: string, title: string, abstract: string) => record(id, { title, abstract });
    await store.ingest({ papers: [
      paper('2501.00001', 'Score matching for diffusion models', 'Über naïve café, generated.'),
      paper('2501.00002', 'Matching scores of graph networks', 'Neural networks on graphs.'),
      paper('2501.00003', 'Generative adversarial networks', 'Mode collapse in a GAN.'),
      paper('2501.00004', 'The Who live', 'A network of the who and what.'),
    ] });
    const engine = createSearchEngine(store);
    const keys = await keysById(store);
    const ids = (has: (k: number) => boolean) => [...keys].filter(([, k]) => has(k)).map(([id]) => id).sort();
    // What search filters by (index and store together) against what the engine alone answers.
    const same = async (c: Partial<TextConstraints>, why: string) => {
      const asked = { ...none, ...c };
      const filter = await paperFilterOf(store, await engine.lexical.index(), asked);
      const engineKeys = await store.constraintKeys(asked);
      assert.deepEqual(filter.within ? ids((k) => filter.within!.has(k)) : null, engineKeys.include ? ids((k) => engineKeys.include!.has(k)) : null, `${why}: kept`);
      assert.deepEqual(filter.without ? ids((k) => filter.without!.has(k)) : null, engineKeys.exclude ? ids((k) => engineKeys.exclude!.has(k)) : null, `${why}: left out`);
      return filter;
    };
    await same({ excluded: [term('graphs')] }, 'an excluded word, stemmed');
    await same({ excluded: [term('cafe')] }, 'an excluded word, accents folded');
    await same({ excluded: [prefix('netw')] }, 'an excluded prefix');
    await same({ clauses: [[prefix('netw')]] }, 'a prefix');
    await same({ clauses: [[prefix('networks')]] }, 'a prefix stemmed as a word is');
    await same({ clauses: [[prefix('gen'), term('gan')]] }, 'an OR-group of a prefix and a word');
    await same({ clauses: [[prefix('netw')], [prefix('gen')]] }, 'clauses AND-ed');
    await same({ clauses: [[prefix('netw')], [phrase('mode collapse')]], excluded: [term('graphs'), phrase('the who')] }, 'index and engine together');
    await same({ clauses: [[prefix('zzz')]] }, 'a prefix of no word');
    await same({ title: [term('networks')] }, 'a title word, only in the title');
    await same({ title: [prefix('gen'), term('networks')] }, 'title words AND-ed, a prefix among them');
    await same({ title: [term('matching'), phrase('graph networks')], clauses: [[prefix('neur')]] }, 'a title phrase from the engine, a title word and a prefix from the index');
    await same({ title: [term('generated')] }, 'a word of the abstract is not a title word');

    // A changed paper is judged by its new words (its old postings in the index are dead).
    await store.ingest({ papers: [record('2501.00002', { title: 'Matching scores', abstract: 'Neural fields.', versions: [{ version: 2, submittedAt: '2025-04-01T00:00:00.000Z' }] })] });
    const after = await same({ excluded: [term('graphs'), prefix('netw')] }, 'after a change');
    assert.deepEqual(ids((k) => after.without!.has(k)), ['2501.00003', '2501.00004']);
    await store.close();
  });

  test('text constraints: a changed paper is found by its new text, not its old', async () => {
    const store = await open();
    await store.ingest({ papers: [record('2501.00010', { title: 'Old words here' })] });
    await store.ingest({ papers: [record('2501.00010', { title: 'Fresh title', versions: [{ version: 2, submittedAt: '2025-04-01T00:00:00.000Z' }] })] });
    const key = (await keysById(store)).get('2501.00010')!;
    assert.deepEqual([...(await store.constraintKeys({ ...none, title: [term('fresh')] })).include!], [key]);
    assert.deepEqual([...(await store.constraintKeys({ ...none, title: [term('old')] })).include!], []);
    await store.close();
  });
}
