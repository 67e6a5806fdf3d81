// GET /api/papers/{id}/cite?format=bibtex|ris|csl-json: a paper's citation (BibTeX by default).

import type { Hono } from 'hono';
import { PaperboyError } from '../../errors.js';
import { FORMATS, type CitationFormat } from '../../personal/library.js';
import type { AppDeps } from '../app.js';
import { citationFile, paperOf } from '../pages/citations.js';

export function registerCitationApi(api: Hono, deps: AppDeps): void {
  api.get('/papers/:id{.+}/cite', async (c) => {
    const format = (c.req.query('format') ?? 'bibtex') as CitationFormat;
    if (!(format in FORMATS)) throw new PaperboyError('bad_input', 'format must be bibtex, ris or csl-json.', { parameter: 'format' });
    const paper = await paperOf(deps.store, c.req.param('id'));
    if (!paper) throw new PaperboyError('not_found', `No paper ${c.req.param('id')} in this collection.`);
    return citationFile(c, paper, format);
  });
}
