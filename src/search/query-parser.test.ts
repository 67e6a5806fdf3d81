import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { parseQuery, toFts5Match, type Alternative, type ParsedQuery } from './query-parser.js';
import { STOP_WORDS, isStopWord } from './stopwords.js';
import { mulberry32 } from '../random.js';

const term = (text: string): Alternative => ({ kind: 'term', text });
const phrase = (text: string): Alternative => ({ kind: 'phrase', text });
const prefix = (text: string): Alternative => ({ kind: 'prefix', text });

function expected(overrides: Partial<Omit<ParsedQuery, 'filters'>> & { filters?: Partial<ParsedQuery['filters']> } = {}): ParsedQuery {
  const { filters, ...rest } = overrides;
  return {
    arxivId: null, groups: [], excluded: [], sort: null, warnings: [], ...rest,
    filters: { categories: [], authors: [], title: [], year: null, since: null, before: null, similarTo: null, ...filters },
  };
}

// The same table shape and tokenizer as papers_fts, so FTS5 judges the syntax exactly as in production.
const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE t USING fts5(title, author_names, abstract, tokenize='porter unicode61 remove_diacritics 2')`);
const insert = db.prepare('INSERT INTO t (rowid, title, author_names, abstract) VALUES (?, ?, ?, ?)');
insert.run(1, 'State-of-the-art graph neural networks', 'Ada Lovelace; Alan Turing', 'We study message passing on graphs and transformers.');
insert.run(2, 'Score matching for diffusion models', 'Yann LeCun', 'Diffusion models learn the score; mode collapse is rare.');
insert.run(3, 'Generative adversarial networks', 'Ian Goodfellow', 'A GAN can suffer from mode collapse. Über naïve café.');
const matchStmt = db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid');
const matches = (expr: string) => matchStmt.all(expr).map((r) => (r as { rowid: number }).rowid);
const searchAll = (input: string) => matches(toFts5Match(parseQuery(input))!);

describe('parseQuery: words, phrases, operators', () => {
  test('free words are AND-ed groups of one, lowercased and NFKC-normalised', () => {
    assert.deepEqual(parseQuery('Graph  Neural ＮＥＴＷＯＲＫＳ'), expected({ groups: [[term('graph')], [term('neural')], [term('networks')]] }));
  });

  test('OR and | join adjacent items into one group; AND is ignored', () => {
    assert.deepEqual(parseQuery('diffusion OR flow matching').groups, [[term('diffusion'), term('flow')], [term('matching')]]);
    assert.deepEqual(parseQuery('gan|vae OR "normalizing flow" AND sampling').groups,
      [[term('gan'), term('vae'), phrase('normalizing flow')], [term('sampling')]]);
    assert.deepEqual(parseQuery('(gan OR vae) sampling').groups, [[term('gan'), term('vae')], [term('sampling')]]);
    assert.deepEqual(parseQuery('x AND y').groups, [[term('x')], [term('y')]]);
  });

  test('lower-case or/and/not are ordinary words', () => {
    assert.deepEqual(parseQuery('to be or not').groups, [[term('to')], [term('be')], [term('or')], [term('not')]]);
  });

  test('a dangling OR is dropped with a warning', () => {
    const q = parseQuery('OR graphs OR');
    assert.deepEqual(q.groups, [[term('graphs')]]);
    assert.deepEqual(q.warnings, ['ignored "OR" without a term on both sides']);
    assert.deepEqual(parseQuery('graphs OR -trees').groups, [[term('graphs')]]);
    assert.deepEqual(parseQuery('graphs OR cat:cs.LG trees').groups, [[term('graphs')], [term('trees')]]);
  });

  test('quoted phrases, including an unterminated one and curly quotes', () => {
    assert.deepEqual(parseQuery('"Score Matching" models').groups, [[phrase('score matching')], [term('models')]]);
    assert.deepEqual(parseQuery('models "score   matching of the').groups, [[term('models')], [phrase('score matching of the')]]);
    assert.deepEqual(parseQuery('\u201Cmode collapse\u201D').groups, [[phrase('mode collapse')]]);
    assert.deepEqual(parseQuery('"single"').groups, [[phrase('single')]], 'a quoted word stays a phrase');
    assert.deepEqual(parseQuery('foo"bar baz"').groups, [[term('foo')], [phrase('bar baz')]]);
  });

  test('hyphenated and punctuated words become a phrase of their parts', () => {
    assert.deepEqual(parseQuery('state-of-the-art GPT-4 3.5').groups,
      [[phrase('state of the art')], [phrase('gpt 4')], [phrase('3 5')]]);
  });

  test('prefix needs at least two characters before *', () => {
    assert.deepEqual(parseQuery('transfo* ab* "neural net"*').groups, [[prefix('transfo')], [prefix('ab')], [prefix('neural net')]]);
    const q = parseQuery('a* x');
    assert.deepEqual(q.groups, [[term('a')], [term('x')]]);
    assert.equal(q.warnings.length, 1);
    assert.deepEqual(parseQuery('trans*former').groups, [[phrase('trans former')]]);
  });

  test('exclusion: -word, -"phrase", NOT word; a lone or double dash is not exclusion', () => {
    const q = parseQuery('diffusion -gan -"mode collapse" NOT vae NOT "score matching" - -- --x');
    assert.deepEqual(q.groups, [[term('diffusion')], [term('x')]]);
    assert.deepEqual(q.excluded, [term('gan'), phrase('mode collapse'), term('vae'), phrase('score matching')]);
    assert.deepEqual(parseQuery('-state-of-the-art').excluded, [phrase('state of the art')]);
    assert.deepEqual(parseQuery('-rnn*').excluded, [prefix('rnn')]);
    assert.deepEqual(parseQuery('graphs NOT').warnings, ['ignored "NOT" without a term after it']);
  });

  test('a dash glued to the word before is a hyphen, not an exclusion', () => {
    for (const input of ['Sim(3)-Consistent Knowledge', '"spin glass"-like models', 'model (BERT)-based']) {
      assert.deepEqual(parseQuery(input).excluded, [], input);
    }
    assert.deepEqual(parseQuery('Sim(3)-Consistent').groups, [[term('sim')], [term('3')], [term('consistent')]]);
    assert.deepEqual(parseQuery('(graphs -gan)').excluded, [term('gan')], 'after an opening parenthesis it still excludes');
  });

  test('punctuation-only tokens are dropped', () => {
    assert.deepEqual(parseQuery('+++ ^ ... graphs ?!').groups, [[term('graphs')]]);
    assert.deepEqual(parseQuery('C++ C# F#').groups, [[term('c')], [term('c')], [term('f')]]);
  });
});

describe('parseQuery: fields', () => {
  test('all filters with their aliases and normal forms', () => {
    const q = parseQuery('cat:cs.lg category:HEP-TH cat:math.ag cat:cond-mat.STAT-MECH cat:astro-ph.co cat:cs.* cat:cs.LG '
      + 'author:"Yann  LeCun" au:hinton, title:"Attention is all" ti:bert* title:graphs year:2025 since:2025-06 before:2025-07-01 sort:Newest');
    assert.deepEqual(q, expected({
      sort: 'newest',
      filters: {
        categories: ['cs.LG', 'hep-th', 'math.AG', 'cond-mat.stat-mech', 'astro-ph.CO', 'cs'],
        authors: ['Yann LeCun', 'hinton'],
        title: [phrase('attention is all'), prefix('bert'), term('graphs')],
        year: 2025, since: '2025-06-01', before: '2025-07-01',
      },
    }));
  });

  test('since/before accept YYYY, YYYY-MM, YYYY-MM-DD and reject impossible dates', () => {
    assert.equal(parseQuery('since:2024').filters.since, '2024-01-01');
    assert.equal(parseQuery('before:2024-2').filters.before, '2024-02-01');
    assert.equal(parseQuery('since:2024-02-29').filters.since, '2024-02-29');
    const q = parseQuery('since:2025-13-40 before:2025-02-29 year:25 sort:best cat:?? author:"" title:"--"');
    assert.deepEqual(q, expected({ warnings: [
      'ignored invalid date "since:2025-13-40"', 'ignored invalid date "before:2025-02-29"',
      'ignored invalid year "year:25"', 'ignored invalid sort "sort:best"', 'ignored invalid category "cat:??"',
      'ignored empty field "author:"""', 'ignored invalid title "title:"--""',
    ] }));
  });

  test('empty and excluded filters are ignored with a warning', () => {
    assert.deepEqual(parseQuery('cat: graphs').warnings, ['ignored empty field "cat:"']);
    const q = parseQuery('-cat:cs.LG NOT author:lecun graphs');
    assert.deepEqual(q.filters.categories, []);
    assert.deepEqual(q.filters.authors, []);
    assert.deepEqual(q.groups, [[term('graphs')]]);
    assert.deepEqual(q.warnings, ['ignored excluded filter "-cat:cs.LG"', 'ignored excluded filter "author:lecun"']);
  });

  test('unknown fields are searched as words, with a warning', () => {
    const q = parseQuery('foo:bar http://x.org C++: a: :b constructor:x 10:30');
    assert.deepEqual(q.groups, [[phrase('foo bar')], [phrase('http x org')], [term('c')], [term('a')], [term('b')], [phrase('constructor x')], [phrase('10 30')]]);
    assert.deepEqual(q.warnings, ['ignored unknown field "foo:"', 'ignored unknown field "http:"', 'ignored unknown field "a:"', 'ignored unknown field "constructor:"']);
  });
});

describe('parseQuery: arXiv ids and limits', () => {
  for (const [input, id] of [
    ['2503.11731', '2503.11731'], ['2503.11731v2', '2503.11731'], ['arxiv.org/abs/2503.11731', '2503.11731'],
    ['https://arxiv.org/pdf/2503.11731v3', '2503.11731'], ['hep-th/9901001', 'hep-th/9901001'],
    ['arXiv:0704.0001', '0704.0001'], ['  2503.11731  ', '2503.11731'],
  ]) {
    test(`"${input}" is an arXiv id`, () => assert.deepEqual(parseQuery(input!), expected({ arxivId: id! })));
  }

  test('an id inside other words is not an id lookup', () => {
    const q = parseQuery('2503.11731 diffusion');
    assert.equal(q.arxivId, null);
    assert.deepEqual(q.groups, [[phrase('2503 11731')], [term('diffusion')]]);
  });

  test('long input is cut at a word boundary with a warning', () => {
    const q = parseQuery('alpha beta gamma', { maxLength: 12 });
    assert.deepEqual(q.groups, [[term('alpha')], [term('beta')]]);
    assert.deepEqual(q.warnings, ['query truncated to 12 characters']);
    const big = parseQuery('word '.repeat(1000));
    assert.equal(big.groups.length, 400);
    assert.equal(parseQuery('x'.repeat(50), { maxLength: 10 }).groups[0]![0]!.text, 'x'.repeat(10));
  });
});

describe('toFts5Match', () => {
  test('quotes every term, ANDs groups, ORs alternatives, prefixes as "x" *', () => {
    assert.equal(toFts5Match(parseQuery('graph neural')), '"graph" AND "neural"');
    assert.equal(toFts5Match(parseQuery('diffusion OR flow "score matching" transfo*')), '("diffusion" OR "flow") AND "score matching" AND "transfo" *');
    assert.equal(toFts5Match(parseQuery('NEAR AND x OR NOT')), '"near" AND "x"', 'a trailing NOT is an operator without operand');
  });

  test('exclusions become NOT; title filters a column filter', () => {
    assert.equal(toFts5Match(parseQuery('diffusion -gan -"mode collapse"')), '"diffusion" NOT "gan" NOT "mode collapse"');
    assert.equal(toFts5Match(parseQuery('models title:"score matching" -gan')), '("models" AND title : ("score matching")) NOT "gan"');
    assert.equal(toFts5Match(parseQuery('title:graph* ti:neural')), 'title : ("graph" * AND "neural")');
  });

  test('null when nothing positive to match', () => {
    for (const input of ['', '   ', '-gan', 'cat:cs.LG since:2025', '2503.11731', '+++', 'NOT x']) {
      assert.equal(toFts5Match(parseQuery(input)), null, input);
      assert.equal(toFts5Match(parseQuery(input), { mode: 'any' }), null, input);
    }
  });

  test('stop words are dropped unless the query is only stop words or they are in a phrase', () => {
    assert.equal(toFts5Match(parseQuery('the score of a model')), '"score" AND "model"');
    assert.equal(toFts5Match(parseQuery('the who')), '"the" AND "who"');
    assert.equal(toFts5Match(parseQuery('"the who" live')), '"the who" AND "live"');
    assert.equal(toFts5Match(parseQuery('the OR graphs model')), '"model"', 'an OR-group with a stop word constrains nothing');
    assert.equal(toFts5Match(parseQuery('graphs -the')), '"graphs"');
    assert.equal(toFts5Match(parseQuery('the OR graphs model'), { mode: 'any' }), '("graphs" OR "model")');
  });

  test("'any' ORs distinct alternatives and keeps the longest maxTerms in input order", () => {
    assert.equal(toFts5Match(parseQuery('graph neural graph -gan'), { mode: 'any' }), '("graph" OR "neural") NOT "gan"');
    assert.equal(toFts5Match(parseQuery('graph neural network representation learning'), { mode: 'any', maxTerms: 2 }), '("representation" OR "learning")');
    assert.equal(toFts5Match(parseQuery('graphs title:neural'), { mode: 'any' }), '"graphs" AND title : ("neural")');
    assert.equal(toFts5Match(parseQuery('aa bbbb cc'), { mode: 'all', maxTerms: 1 }), '"bbbb"');
  });

  test('escapes double quotes and NULs in hand-built alternatives', () => {
    const q = expected({ groups: [[term('say "hi"')], [prefix('a\0b')]], excluded: [phrase('')] });
    const expr = toFts5Match(q)!;
    assert.equal(expr, '"say ""hi""" AND "a b" *');
    assert.doesNotThrow(() => matches(expr));
  });

  test('compiled queries find the right rows', () => {
    assert.deepEqual(searchAll('state-of-the-art'), [1]);
    assert.deepEqual(searchAll('"mode collapse" -gan'), [2]);
    assert.deepEqual(searchAll('mode NOT diffusion'), [3]);
    assert.deepEqual(searchAll('netw*'), [1, 3]);
    assert.deepEqual(searchAll('title:networks'), [1, 3]);
    assert.deepEqual(searchAll('lecun OR turing'), [1, 2]);
    assert.deepEqual(searchAll('uber naive cafe'), [3], 'diacritics are removed on both sides');
  });

  test('a pasted 300-word abstract compiles to at most 32 terms', () => {
    const rand = prng(7);
    const vocabulary = ['we', 'the', 'of', 'and', 'a', 'to', 'in', 'is', 'that', 'for', 'with', 'on', 'by', 'this', 'are',
      ...'propose method model learning neural network training data results show performance benchmark transformer attention layer representation graph diffusion generative adversarial optimization gradient descent convergence theoretical analysis empirical evaluation dataset large language models reasoning inference efficient scalable robust uncertainty calibration retrieval augmented generation embedding contrastive pretraining finetuning supervised reinforcement policy reward agent environment simulation physics quantum entanglement spectral clustering kernel bayesian posterior variational approximation sparse low-rank compression distillation'.split(' ')];
    const abstract = Array.from({ length: 300 }, () => vocabulary[Math.floor(rand() * vocabulary.length)]).join(' ') + '.';
    const expr = toFts5Match(parseQuery(abstract), { mode: 'any', maxTerms: 32 })!;
    const terms = expr.match(/"(?:[^"]|"")*"/g) ?? [];
    assert.ok(terms.length > 20 && terms.length <= 32, `${terms.length} terms`);
    assert.ok(!terms.some((t) => STOP_WORDS.has(t.slice(1, -1))), 'stop words went first');
    assert.doesNotThrow(() => matches(expr));
  });
});

describe('stop words', () => {
  test('about a hundred lower-case English words', () => {
    assert.ok(STOP_WORDS.size >= 90 && STOP_WORDS.size <= 150);
    assert.ok(isStopWord('the') && !isStopWord('graph'));
    for (const w of STOP_WORDS) assert.equal(w, w.toLowerCase());
  });
});

/** Seeded, so fuzz failures are reproducible. */
const prng = mulberry32;

/** The expression with its quoted strings removed may only contain FTS5 syntax we emit. */
function assertOnlyOurSyntax(expr: string) {
  const rest = expr.replace(/"(?:[^"]|"")*"/g, ' S ');
  assert.match(rest, /^(?:\s|S|\*|\(|\)|AND|OR|NOT|title :)*$/, `unexpected syntax in ${JSON.stringify(expr)}`);
}

/** Checks one input end to end; returns how many expressions SQLite ran. */
function assertTotal(input: string): number {
  let compiled = 0;
  const q = parseQuery(input);
  for (const alt of [...q.groups.flat(), ...q.excluded, ...q.filters.title]) {
    assert.match(alt.text, /^[\p{L}\p{N}\p{M}]+(?: [\p{L}\p{N}\p{M}]+)*$/u, JSON.stringify(input));
  }
  for (const opts of [{ mode: 'all' as const }, { mode: 'any' as const, maxTerms: 8 }]) {
    const expr = toFts5Match(q, opts);
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
    '^', '+', '|', '||', 'OR', 'AND', 'NOT', 'NOT NOT', '"a" * *', '-"', '-"-"', 'title:', 'title:"', 'cat:"', 'sort:',
    '😀 🧪', 'שלום עולם', 'مرحبا بالعالم', 'e\u0301\u0301', '\u0301', 'a\u0000b', '\u0000', '\ud800', 'x\udfff',
    '漢字検索', 'x'.repeat(10_000), '"'.repeat(10_000), 'a OR '.repeat(2_000), '-'.repeat(10_000), '(('.repeat(3_000)];
  for (const input of hostile) {
    test(`never throws: ${JSON.stringify(input.slice(0, 20))}${input.length > 20 ? '…' : ''}`, () => { assertTotal(input); });
  }

  test('seeded fuzz: 3,000 random queries parse and compile to FTS5 that SQLite accepts', () => {
    const rand = prng(20250601);
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
    assert.ok(compiled > 3000, `only ${compiled} expressions reached SQLite`); // two modes per input
  });
});
