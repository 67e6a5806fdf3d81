import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseQuery, type Alternative, type ParsedQuery } from './query-parser.js';
import { STOP_WORDS, isStopWord } from '../text/stopwords.js';
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

describe('stop words', () => {
  test('about a hundred lower-case English words', () => {
    assert.ok(STOP_WORDS.size >= 90 && STOP_WORDS.size <= 150);
    assert.ok(isStopWord('the') && !isStopWord('graph'));
    for (const w of STOP_WORDS) assert.equal(w, w.toLowerCase());
  });
});

describe('hostile input', () => {
  test('seeded fuzz: any input parses, and alternatives hold only words', () => {
    const rand = mulberry32(20250601);
    const pieces = ['"', '*', '(', ')', ':', '-', '|', ' ', 'a', 'graph', 'OR', 'NOT', 'NEAR', 'é', '漢', '😀', '\u0301', '\u0000', '\ud800', '＂', '“', 'title:', 'author:', 'the'];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let k = 0, n = 1 + Math.floor(rand() * 30); k < n; k++) s += pieces[Math.floor(rand() * pieces.length)];
      const q = parseQuery(s);
      for (const alt of [...q.groups.flat(), ...q.excluded, ...q.filters.title]) {
        assert.match(alt.text, /^[\p{L}\p{N}\p{M}]+(?: [\p{L}\p{N}\p{M}]+)*$/u, JSON.stringify(s));
      }
    }
  });
});
