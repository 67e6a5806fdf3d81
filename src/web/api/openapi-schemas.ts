// JSON Schemas (OpenAPI 3.1 dialect) of what the API returns, kept beside the shapes in
// shapes.ts; the openapi test checks documented routes and parameters against the app.

export type JsonSchema = { [key: string]: unknown };

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** Hugging Face's extra fields of a paper (null when unknown). */
const hfFields = {
  githubRepo: { ...nullableStr, format: 'uri', description: 'The paper\'s code on GitHub.' },
  githubStars: { type: ['integer', 'null'] },
  projectPage: { ...nullableStr, format: 'uri' },
  ai_summary: { ...nullableStr, description: 'A one-sentence machine summary, from Hugging Face.' },
  ai_keywords: { type: ['array', 'null'], items: str },
};

export const schemas: Record<string, JsonSchema> = {
  Error: {
    type: 'object', required: ['error'],
    properties: {
      error: {
        type: 'object', required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: ['bad_input', 'forbidden', 'not_found', 'too_large', 'rate_limited', 'overloaded', 'starting', 'store_failure', 'internal'] },
          message: { ...str, description: 'For people: what was wrong and what is accepted.' },
          parameter: { ...str, description: 'The query or path parameter at fault, when one is.' },
        },
      },
    },
  },
  Paper: {
    type: 'object',
    required: ['id', 'title', 'abstract', 'summary', 'authors', 'categories', 'links', 'upvotes', 'numComments', 'githubRepo', 'projectPage', 'ai_summary', 'ai_keywords'],
    properties: {
      id: { ...str, description: 'arXiv id without version, e.g. 2503.11731 or hep-th/9901001.' },
      title: str,
      abstract: { ...str, description: 'Raw text; may contain LaTeX ($...$) and characters that need escaping in HTML.' },
      summary: { ...str, description: 'The abstract again, under Hugging Face\'s name.' },
      authors: { type: 'array', items: { type: 'object', required: ['name', 'hidden'], properties: { name: str, hidden: { type: 'boolean' }, affiliations: { type: 'array', items: str } } } },
      categories: { type: 'array', items: str, description: 'Primary category first.' },
      primaryCategory: nullableStr,
      comment: nullableStr, journalRef: nullableStr, doi: nullableStr, license: nullableStr,
      versions: { type: 'array', items: { type: 'object', properties: { version: int, submittedAt: nullableStr, size: nullableStr } } },
      latestVersion: { type: ['integer', 'null'] },
      submittedAt: { ...nullableStr, format: 'date-time' },
      announcedAt: { ...nullableStr, format: 'date', description: 'Day arXiv announced the paper.' },
      updatedAt: nullableStr,
      publishedAt: { ...nullableStr, format: 'date-time', description: 'First submission (announcement day when unknown), as on Hugging Face.' },
      links: { type: 'object', properties: { abs: { ...str, format: 'uri' }, pdf: { ...str, format: 'uri' } } },
      upvotes: { ...int, description: 'Latest upvote count observed for the paper (0 when none).' },
      numComments: int,
      ...hfFields,
    },
  },
  DailyPaper: {
    type: 'object', required: ['paper', 'publishedAt', 'title', 'summary', 'numComments', 'githubRepo', 'projectPage', 'ai_summary', 'ai_keywords'],
    description: 'As on Hugging Face. Its Python client reads authors, summary, upvotes and publishedAt from `paper`, but title, numComments and the repository, project page, summary and keywords only from the entry, so both carry them.',
    properties: {
      paper: { allOf: [ref('Paper'), { type: 'object', properties: { submittedOnDailyAt: { ...nullableStr, format: 'date-time' } } }] },
      publishedAt: { ...nullableStr, format: 'date-time', description: 'The day the paper is listed under (announced, else submitted).' },
      title: str, summary: str, numComments: int, ...hfFields, isAuthorParticipating: { type: 'boolean' },
      trending: { ...ref('Trending'), description: 'With sort=trending: the score it is ranked by, and why.' },
    },
  },
  Links: {
    type: 'object', description: 'Absolute paths of the neighbouring pages; also sent as a Link header.',
    properties: { next: nullableStr, prev: nullableStr },
  },
  SearchResponse: {
    type: 'object', required: ['query', 'total', 'page', 'limit', 'results', 'links'],
    properties: {
      query: str, total: int,
      mode: { type: 'string', enum: ['lexical', 'semantic', 'hybrid'], description: 'How the results were ranked.' },
      totalIsExact: { type: 'boolean', description: 'False when total is not a count: a lower bound (long queries) or an estimate (phrases and authors, checked only as far as the page needs).' },
      page: int, limit: int, notes: { type: 'array', items: str }, links: ref('Links'),
      results: { type: 'array', items: { allOf: [ref('Paper'), { type: 'object', properties: { score: { type: 'number' }, snippet: nullableStr } }] } },
    },
  },
  ArxivRepos: {
    type: 'object', required: ['models', 'datasets', 'spaces'],
    description: 'Hugging Face\'s shape; Paperboy knows no Hub models, datasets or Spaces (always empty) but adds the GitHub repositories it knows.',
    properties: {
      models: { type: 'array', items: { type: 'object' } }, datasets: { type: 'array', items: { type: 'object' } }, spaces: { type: 'array', items: { type: 'object' } },
      githubRepos: { type: 'array', items: { type: 'object', properties: { repo: str, url: { ...str, format: 'uri' } } } },
    },
  },
  SimilarResponse: {
    type: 'object', required: ['id', 'results'],
    properties: { id: str, results: { type: 'array', items: { allOf: [ref('Paper'), { type: 'object', properties: { score: { type: 'number' } } }] } } },
  },
  Signal: {
    type: 'object',
    properties: {
      kind: { type: 'string', enum: ['upvotes', 'comments', 'github_stars', 'views'] },
      value: { type: 'number' }, source: str, observedAt: { ...str, format: 'date-time' }, paperId: str,
    },
  },
  ScoreComponent: {
    type: 'object', required: ['name', 'value', 'contribution', 'label'],
    properties: {
      name: { type: 'string', description: 'upvotes, localUpvotes, comments, githubStars, views, one of those followed by Momentum (gains after the first days), freshness or age.' },
      value: { type: 'number', description: 'The count, the recent gain, or the age in days.' },
      contribution: { type: 'number', description: 'Points this part adds to the score (negative for age).' },
      label: { type: 'string', description: 'One human line, e.g. "12 upvotes on Hugging Face".' },
    },
  },
  Trending: {
    type: 'object', required: ['score', 'components'], description: 'The trending score and the parts it is the sum of.',
    properties: { score: { type: 'number' }, components: { type: 'array', items: ref('ScoreComponent') } },
  },
  PaperDetail: {
    allOf: [ref('Paper'), {
      type: 'object',
      properties: { signals: { type: 'array', items: ref('Signal') }, trending: { oneOf: [ref('Trending'), { type: 'null' }], description: 'Its score now.' } },
    }],
  },
};
