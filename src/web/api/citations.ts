// GET /api/papers/{id}/cite?format=bibtex|ris|csl-json: a paper's citation (BibTeX by default).

import type { Hono } from 'hono';
import { z } from 'zod';
import { PaperboyError } from '../../errors.js';
import type { AppDeps } from '../app.js';
import { citationFile, paperOf } from '../pages/citations.js';
import { queryOf } from './params.js';

export const citeQuery = z.object({
  format: z.enum(['bibtex', 'ris', 'csl-json'], { message: 'format must be one of bibtex, ris, csl-json' }).default('bibtex'),
});

export function registerCitationApi(api: Hono, deps: AppDeps): void {
  api.get('/papers/:id{.+}/cite', async (c) => {
    const { format } = queryOf(c, citeQuery);
    const paper = await paperOf(deps.store, c.req.param('id'));
    if (!paper) throw new PaperboyError('not_found', `No paper ${c.req.param('id')} in this collection.`);
    return citationFile(c, paper, format);
  });
}
