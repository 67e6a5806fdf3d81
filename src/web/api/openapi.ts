// The OpenAPI 3.1 description served at /api/openapi.json: every route, parameter and
// response of the JSON API. Written by hand so it reads as documentation; a test keeps
// it in step with the routes and their zod schemas.

import { schemas, type JsonSchema } from './openapi-schemas.js';

interface Parameter { name: string; in: 'query' | 'path'; required?: boolean; description: string; schema: JsonSchema; example?: string }
interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  parameters: Parameter[];
  responses: Record<string, { description: string; headers?: Record<string, { description: string; schema: JsonSchema }>; content?: Record<string, { schema: JsonSchema }> }>;
}
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, { get: Operation }>;
  components: { schemas: Record<string, JsonSchema> };
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });
const pagedHeaders = {
  Link: { description: 'RFC 8288 links (rel="next", rel="prev") to the neighbouring pages, as absolute paths.', schema: { type: 'string' } },
};
const q = (name: string, description: string, schema: JsonSchema, example?: string): Parameter =>
  ({ name, in: 'query', description, schema, ...(example ? { example } : {}) });
const limit = (def: number, max: number) => q('limit', `Results per page (1-${max}).`, { type: 'integer', minimum: 1, maximum: max, default: def });
const page = q('p', 'Page number, from 1.', { type: 'integer', minimum: 1, maximum: 10000, default: 1 });
const page0 = q('p', 'Page number, from 0 (as on Hugging Face).', { type: 'integer', minimum: 0, maximum: 10000, default: 0 });
const id: Parameter = {
  name: 'id', in: 'path', required: true, example: '2503.11731',
  description: 'An arXiv id (2503.11731, hep-th/9901001), optionally versioned or as an arxiv.org URL; old-style ids keep their slash.',
  schema: { type: 'string' },
};
const badInput = errorResponse('A parameter is malformed; the error names it.');
const unknownPaper = errorResponse('No paper with that id in this collection.');

export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Paperboy API', version: '1',
    description: 'Read-only JSON over the papers this Paperboy instance has collected. Hugging Face\'s paths (/api/daily_papers, /api/papers/search, /api/papers/{id}, /api/arxiv/{id}/repos, and /papers/{id}.md outside /api) answer in Hugging Face\'s shapes, so its clients work with this server as their endpoint; Paperboy\'s own richer answers are versioned (/api/v1/…). CORS is open for GET and HEAD.',
  },
  paths: {
    '/api/daily_papers': { get: {
      operationId: 'dailyPapers', summary: 'Papers of a day, week or month, as Hugging Face lists them',
      description: 'Papers dated (announced, else submitted) in the given day, ISO week or month; give at most one of date, week and month; none lists the latest day with papers, as Hugging Face does. sort=publishedAt (the default) lists the newest first; trending ranks by trending score (docs/trending.md) and gives each entry the parts of its score. Readable by huggingface_hub\'s list_daily_papers.',
      parameters: [
        q('date', 'A day (UTC).', { type: 'string', format: 'date' }, '2025-03-18'),
        q('week', 'An ISO 8601 week, Monday to Sunday.', { type: 'string', pattern: '^\\d{4}-W\\d{2}$' }, '2025-W12'),
        q('month', 'A calendar month.', { type: 'string', pattern: '^\\d{4}-\\d{2}$' }, '2025-03'),
        q('sort', 'publishedAt: newest first; trending: highest trending score first (ties by id).', { type: 'string', enum: ['publishedAt', 'trending'], default: 'publishedAt' }),
        q('submitter', 'A Hugging Face user who submitted papers. Paperboy records no submitters, so the answer is empty.', { type: 'string' }),
        limit(50, 100), page0,
      ],
      responses: {
        200: {
          description: 'A bare array, as Hugging Face returns it.',
          headers: { ...pagedHeaders, 'X-Total-Count': { description: 'Papers in the window.', schema: { type: 'integer' } } },
          content: json({ type: 'array', items: ref('DailyPaper') }),
        },
        400: badInput,
      },
    } },
    '/api/papers': { get: {
      operationId: 'listPapers', summary: 'Newest papers, optionally of one category',
      parameters: [q('cat', 'One arXiv category.', { type: 'string' }, 'cs.LG'), limit(25, 100), page],
      responses: { 200: { description: 'Newest first.', headers: pagedHeaders, content: json({ type: 'array', items: ref('Paper') }) }, 400: badInput },
    } },
    '/api/papers/search': { get: {
      operationId: 'searchPapers', summary: 'Search papers, answered as Hugging Face does',
      description: 'A bare array of entries shaped like daily_papers\' (readable by huggingface_hub\'s list_papers). The query language is the search box\'s: words, "phrases", OR, -exclusions, prefix*, cat:, author:, title:, year:, since:, before:, sort:newest, similar:ID. An empty query finds nothing. Totals, notes and modes: /api/v1/search.',
      parameters: [q('q', 'The query (up to 2,000 characters).', { type: 'string', maxLength: 2000 }, 'graph neural networks cat:cs.LG'), limit(50, 100), page0],
      responses: {
        200: { description: 'The best matches first.', headers: pagedHeaders, content: json({ type: 'array', items: ref('DailyPaper') }) },
        400: badInput,
        413: errorResponse('The query is longer than 2,000 characters.'),
      },
    } },
    '/api/v1/search': { get: {
      operationId: 'search', summary: 'Search papers, with totals, notes, paging links and modes',
      description: 'Paperboy\'s own answer: the query language of the search box; the total (or a lower bound), notes on how the query was read, paging links and each result\'s score and highlighted snippet. An empty query finds nothing and says so.',
      parameters: [
        q('q', 'The query (up to 2,000 characters).', { type: 'string', maxLength: 2000 }, 'graph neural networks cat:cs.LG'),
        limit(20, 100), page,
        q('mode', 'Rank by words (lexical), by meaning (semantic) or both fused (hybrid, the default once vectors are ready); the answer says which was used.', { type: 'string', enum: ['lexical', 'semantic', 'hybrid'] }, 'hybrid'),
      ],
      responses: {
        200: { description: 'One page of results.', headers: pagedHeaders, content: json(ref('SearchResponse')) },
        400: badInput,
        413: errorResponse('The query is longer than 2,000 characters.'),
      },
    } },
    '/api/papers/{id}': { get: {
      operationId: 'getPaper', summary: 'One paper, with its engagement signals and why it is trending',
      description: 'Hugging Face\'s fields (readable by huggingface_hub\'s paper_info) and Paperboy\'s. A version the paper does not have is a 404.',
      parameters: [id],
      responses: { 200: { description: 'The paper.', content: json(ref('PaperDetail')) }, 400: badInput, 404: unknownPaper },
    } },
    '/api/papers/{id}/similar': { get: {
      operationId: 'similarPapers', summary: 'Papers like a given one',
      parameters: [id, limit(5, 50)],
      responses: { 200: { description: 'Most similar first; the paper itself left out.', content: json(ref('SimilarResponse')) }, 400: badInput, 404: unknownPaper },
    } },
    '/api/papers/{id}/cite': { get: {
      operationId: 'citePaper', summary: 'A paper\'s citation: BibTeX (arXiv\'s key and fields), RIS or CSL-JSON',
      parameters: [id, q('format', 'The citation format.', { type: 'string', enum: ['bibtex', 'ris', 'csl-json'], default: 'bibtex' })],
      responses: {
        200: { description: 'The citation as a file.', content: { 'application/x-bibtex': { schema: { type: 'string' } }, 'application/x-research-info-systems': { schema: { type: 'string' } }, 'application/vnd.citationstyles.csl+json': { schema: { type: 'array', items: { type: 'object' } } } } },
        400: badInput, 404: unknownPaper,
      },
    } },
    '/api/arxiv/{id}/repos': { get: {
      operationId: 'arxivRepos', summary: 'Repositories citing a paper, in Hugging Face\'s shape',
      parameters: [id],
      responses: { 200: { description: 'Hub models, datasets and Spaces (none here), and the paper\'s GitHub repositories.', content: json(ref('ArxivRepos')) }, 400: badInput, 404: unknownPaper },
    } },
    '/api/openapi.json': { get: {
      operationId: 'openApi', summary: 'This document', parameters: [],
      responses: { 200: { description: 'OpenAPI 3.1.', content: json({ type: 'object' }) } },
    } },
  },
  components: { schemas },
};
