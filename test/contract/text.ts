// Contract: the text conditions an index of words cannot check (TextConstraints), which
// each engine answers with its own full-text machinery (FTS5, tsvector) and must answer alike.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alternative, TextConstraints } from '../../src/text/constraints.js';
import { createSearchEngine, search } from '../../src/search/search.js';
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
    const all = [...keys.values()];
    const ids = (set: Set<number>) => [...keys].filter(([, k]) => set.has(k)).map(([id]) => id).sort();
    // Asked about given papers (all of them here) and about every paper, an engine answers alike.
    const meeting = async (c: Partial<TextConstraints>) => {
      const [given, every] = [await store.papersMeeting({ ...none, ...c }, all), await store.papersMeeting({ ...none, ...c })];
      assert.deepEqual(ids(given), ids(every), `${JSON.stringify(c)}: the given papers and every paper`);
      return given;
    };
    const include = async (c: Partial<TextConstraints>) => ids(await meeting(c));
    const exclude = async (c: Partial<TextConstraints>) => {
      const kept = await meeting(c);
      return ids(new Set(all.filter((k) => !kept.has(k))));
    };

    assert.deepEqual(await include({}), [...keys.keys()].sort(), 'nothing asked, nothing constrained');
    const k1 = keys.get('2501.00001')!;
    const k2 = keys.get('2501.00002')!;
    assert.deepEqual(await store.papersMeeting({ ...none, clauses: [[term('score')]] }, [k2, k2, 999_999]), new Set([k2]), 'only the papers asked about, once each, unknown keys skipped');
    assert.deepEqual(await store.papersMeeting({ ...none, clauses: [[phrase('score matching')]] }, [k2]), new Set(), 'a paper asked about that does not meet them');
    assert.deepEqual(await store.papersMeeting({ ...none, clauses: [[phrase('score matching')]] }, []), new Set(), 'no papers asked about');
    assert.deepEqual(await store.papersMeeting({ ...none, excluded: [term('graphs')] }, [k1, k2]), new Set([k1]), 'an exclusion among the papers asked about');
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
    assert.deepEqual(await exclude({ excluded: [term('gan')] }), ['2501.00003'], 'exclusions alone leave out only their papers');
    assert.deepEqual(await exclude({ excluded: [term('the')] }), [], 'an excluded stop word excludes nothing');
    assert.deepEqual(await include({ clauses: [[phrase('score matching')]], excluded: [term('lecun')] }), [], 'positive and excluded together');
    assert.deepEqual(await include({ authors: ['LeCun'], excluded: [term('graph')] }), ['2501.00001', '2501.00003'], 'an author and an exclusion');
    assert.deepEqual(await include({ clauses: [[phrase('say "hi" \0 to * (x) OR y:')]] }), [], 'quotes and operators are only text');
    assert.deepEqual(await include({ clauses: [[prefix('networks')]] }), ['2501.00002', '2501.00003', '2501.00004'], 'a prefix is stemmed as a word is (networks, network)');
    assert.deepEqual(await include({ clauses: [[phrase('models yann')]] }), [], 'a phrase does not run from the title into the authors');
    assert.deepEqual(await exclude({ excluded: [prefix('netw')] }), ['2501.00002', '2501.00003', '2501.00004'], 'an excluded prefix');
    await store.close();
  });

  test('search keeps, with its word index and the engine together, the papers the engine alone finds', async () => {
    const store = await open();
    const paper = (id: string, title: string, abstract: string, authors = ['Ada Lovelace']) => record(id, { title, abstract, authors: authors.map((name) => ({ name })) });
    await store.ingest({ papers: [
      paper('2501.00001', 'Score matching for diffusion models', 'Über naïve café, generated.', ['Yann LeCun']),
      paper('2501.00002', 'Matching scores of graph networks', 'Neural networks on graphs.', ['Kun He']),
      paper('2501.00003', 'Generative adversarial networks', 'Mode collapse in a GAN.', ['Kaiming He', 'Y. LeCun']),
      paper('2501.00004', 'The Who live', 'A network of the who and what.'),
    ] });
    const engine = createSearchEngine(store);
    const keys = await keysById(store);
    const all = [...keys.values()];
    const ids = (has: (k: number) => boolean) => [...keys].filter(([, k]) => has(k)).map(([id]) => id).sort();
    // What search keeps (the index's filter, then the store asked about the papers left) against what the engine alone keeps.
    // Both ways: the store naming every paper meeting its conditions (few papers have their words), and asked about given papers only.
    const lazily = { ...store, givenPaperCost: 0 };
    const same = async (c: Partial<TextConstraints>, why: string) => {
      const asked = { ...none, ...c };
      const byEngine = await store.papersMeeting(asked, all);
      let out: { filter: Awaited<ReturnType<typeof paperFilterOf>>; candidates: number[] } | undefined;
      for (const s of [store, lazily]) {
        const filter = await paperFilterOf(s, await engine.lexical.index(), asked);
        const candidates = all.filter((k) => (!filter.within || filter.within.has(k)) && !filter.without?.has(k));
        await filter.check?.ask(candidates);
        const kept = ids((k) => candidates.includes(k) && (!filter.check || filter.check.meets(k)));
        assert.deepEqual(kept, ids((k) => byEngine.has(k)), `${why}${s === lazily ? ', asked about given papers' : ''}`);
        if (s === lazily) out = { filter, candidates };
      }
      return out!;
    };
    await same({ excluded: [term('graphs')] }, 'an excluded word, stemmed');
    await same({ excluded: [term('cafe')] }, 'an excluded word, accents folded');
    await same({ excluded: [prefix('netw')] }, 'an excluded prefix');
    await same({ clauses: [[prefix('netw')]] }, 'a prefix');
    await same({ clauses: [[prefix('networks')]] }, 'a prefix stemmed as a word is');
    await same({ clauses: [[prefix('gen'), term('gan')]] }, 'an OR-group of a prefix and a word');
    await same({ clauses: [[prefix('netw')], [prefix('gen')]] }, 'clauses AND-ed');
    await same({ clauses: [[prefix('zzz')]] }, 'a prefix of no word');
    await same({ title: [term('networks')] }, 'a title word, only in the title');
    await same({ title: [prefix('gen'), term('networks')] }, 'title words AND-ed, a prefix among them');
    await same({ title: [term('generated')] }, 'a word of the abstract is not a title word');
    const together = await same({ clauses: [[prefix('netw')], [phrase('mode collapse')]], excluded: [term('graphs'), phrase('the who')] }, 'index and engine together');
    assert.deepEqual(together.candidates, [keys.get('2501.00003')], 'the store is asked only about papers with the phrase\'s words');
    await same({ clauses: [[phrase('neural networks'), phrase('adversarial networks')]] }, 'an OR-group of phrases');
    await same({ clauses: [[phrase('networks on'), term('gan')]] }, 'an OR-group of a phrase with a stop word and a word');
    await same({ clauses: [[phrase('the who')]] }, 'a phrase of stop words, which the index cannot narrow');
    await same({ title: [term('matching'), phrase('graph networks')], clauses: [[prefix('neur')]] }, 'a title phrase from the engine, a title word and a prefix from the index');
    await same({ title: [phrase('generative adv')] }, 'a title phrase whose words are not all in the title');
    await same({ clauses: [[{ kind: 'prefix', text: 'score match' }]] }, 'a phrase ending in a prefix');
    await same({ authors: ['LeCun'] }, 'an author');
    await same({ authors: ['Kaiming He'] }, 'an author whose family name is a stop word');
    await same({ authors: ['Y. LeCun'], clauses: [[phrase('mode collapse')]] }, 'an author and a phrase');

    // A changed paper is judged by its new words (its old postings in the index are dead).
    await store.ingest({ papers: [record('2501.00002', { title: 'Matching scores', abstract: 'Neural fields.', versions: [{ version: 2, submittedAt: '2025-04-01T00:00:00.000Z' }] })] });
    const after = await same({ excluded: [term('graphs'), prefix('netw')] }, 'after a change');
    assert.deepEqual(ids((k) => after.filter.without!.has(k)), ['2501.00003', '2501.00004']);
    await same({ clauses: [[phrase('neural fields')]] }, 'a phrase of the new words');
    await same({ clauses: [[phrase('neural networks')]] }, 'a phrase of the old words');
    await store.close();
  });

  test('a phrase among many papers with its words: each page holds only papers with the phrase, and the pages hold them all', async () => {
    const store = await open();
    const papers = Array.from({ length: 500 }, (_, i) =>
      record(`2502.${String(i).padStart(5, '0')}`, { title: i % 7 === 0 ? `Neural network study ${i}` : `Network study of neural cells ${i}`, abstract: `Paper number ${i}.` }));
    await store.ingest({ papers });
    const withPhrase = papers.filter((_, i) => i % 7 === 0).map((p) => p.id).sort();
    // As the engine chooses (here, likely every paper at once), and asking about the best papers only.
    for (const [how, engineStore] of [['as the engine chooses', store], ['the best papers asked about', { ...store, givenPaperCost: 0 }]] as const) {
      const engine = createSearchEngine(engineStore);
      const seen: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const r = await search(engine, '"neural network"', { limit: 20, page, mode: 'lexical', snippets: false });
        for (const h of r.hits) assert.ok(withPhrase.includes(h.paper.id), `${how}, page ${page}: ${h.paper.id} has no "neural network"`);
        seen.push(...r.hits.map((h) => h.paper.id));
        if (page === 1) {
          assert.equal(r.hits.length, 20);
          // Only the best 200 of the 500 papers with both words asked about: the total is estimated from them.
          if (engineStore.givenPaperCost === 0) assert.equal(r.totalIsExact, false, how);
          if (!r.totalIsExact) assert.ok(Math.abs(r.total - withPhrase.length) <= 15, `${how}: estimated ${r.total} papers, ${withPhrase.length} have the phrase`);
          else assert.equal(r.total, withPhrase.length, how);
        }
        if (page === 4) assert.deepEqual([r.total, r.totalIsExact, r.hits.length], [withPhrase.length, true, withPhrase.length - 60], `${how}: every candidate asked about, the total is exact`);
      }
      assert.deepEqual(seen.sort(), withPhrase, `${how}: no paper with the phrase lost between pages, none twice`);
    }
    const engine = createSearchEngine({ ...store, givenPaperCost: 0 });
    const notCells = await search(engine, '"neural network" -cells', { limit: 5, mode: 'lexical', snippets: false });
    assert.equal(notCells.hits.length, 5, 'a phrase and an excluded word');
    await store.close();
  });

  test('text constraints: a changed paper is found by its new text, not its old', async () => {
    const store = await open();
    await store.ingest({ papers: [record('2501.00010', { title: 'Old words here' })] });
    await store.ingest({ papers: [record('2501.00010', { title: 'Fresh title', versions: [{ version: 2, submittedAt: '2025-04-01T00:00:00.000Z' }] })] });
    const key = (await keysById(store)).get('2501.00010')!;
    assert.deepEqual([...(await store.papersMeeting({ ...none, title: [term('fresh')] }, [key]))], [key]);
    assert.deepEqual([...(await store.papersMeeting({ ...none, title: [term('old')] }, [key]))], []);
    await store.close();
  });
}
