// Query and path parameters of the JSON API: zod schemas whose messages name the
// parameter, one validator that turns the first problem into a PaperboyError (so every
// route answers 400 the same way), and pagination links built from the request itself.

import type { Context } from 'hono';
import { z } from 'zod';
import { PaperboyError, type ErrorCode } from '../../errors.js';
import { parseArxivId } from '../../papers/arxiv-id.js';

/** Pages past this are never useful and only make the index skip a lot of hits. */
export const MAX_PAGE = 10_000;
export const MAX_QUERY_CHARS = 2000;

/** A whole number in [min, max] written in plain digits ("1e2", "5.0" and "" are refused). */
export function wholeNumber(name: string, min: number, max: number, fallback: number) {
  return z.string().optional().transform((s, ctx) => {
    if (s === undefined) return fallback;
    const n = /^\d{1,9}$/.test(s) ? Number(s) : NaN;
    if (n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}.` });
    return z.NEVER;
  });
}

export const pageParam = wholeNumber('p', 1, MAX_PAGE, 1);

/** Free text, with its own error code when it is too long (a size problem, not a typo). */
export function textParam(name: string, max: number) {
  return z.string().optional().default('').superRefine((s, ctx) => {
    if (s.length > max) ctx.addIssue({ code: 'custom', message: `${name} is longer than ${max.toLocaleString('en')} characters.`, params: { code: 'too_large' } });
  });
}

/** arXiv's category spelling (cs.LG, math-ph, hep-th, physics.optics). */
export const categoryParam = z.string().regex(/^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?$/, 'cat must be one arXiv category such as cs.LG.').max(40, 'cat must be one arXiv category such as cs.LG.').optional();

export const paperIdParam = z.string().transform((s, ctx) => {
  const parsed = parseArxivId(s);
  if (parsed) return parsed.id;
  ctx.addIssue({ code: 'custom', message: 'id is not an arXiv id (e.g. 2503.11731 or hep-th/9901001).' });
  return z.NEVER;
});

/** The parsed value, or a PaperboyError naming the first bad parameter. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const parameter = issue.path.length ? String(issue.path[0]) : undefined;
  const code = (issue.code === 'custom' && (issue as { params?: { code?: ErrorCode } }).params?.code) || 'bad_input';
  // The schemas' own messages name their parameter; zod's generic ones get it in front.
  const message = !parameter || issue.message.includes(parameter) ? issue.message : `${parameter}: ${issue.message}`;
  throw new PaperboyError(code, message, parameter ? { parameter } : undefined);
}

export function queryOf<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return validate(schema, c.req.query());
}

export interface PageLinks { next: string | null; prev: string | null }

/**
 * Links to the neighbouring pages as absolute paths (the request's own path and query
 * with `p` replaced), set as an RFC 8288 Link header and returned for bodies.
 */
export function paginate(c: Context, page: number, hasNext: boolean, o: { zeroBased?: boolean } = {}): PageLinks {
  // `page` is 1-based here; Hugging Face's paths number their `p` from 0.
  const at = (p: number) => {
    const url = new URL(c.req.url);
    url.searchParams.set('p', String(o.zeroBased ? p - 1 : p));
    return url.pathname + url.search;
  };
  const links: PageLinks = { next: hasNext ? at(page + 1) : null, prev: page > 1 ? at(page - 1) : null };
  const header = [links.next && `<${links.next}>; rel="next"`, links.prev && `<${links.prev}>; rel="prev"`].filter(Boolean).join(', ');
  if (header) c.header('Link', header);
  return links;
}
