// One shape for refusals, and the one mapping from the error catalogue to HTTP: the
// refusals middleware gives before any route runs (413, 414, 429), and the status and
// headers of any error a route throws (a store failure is a 503 with Retry-After: the
// database is busy or unwell, the request itself was fine). Under /api the JSON error
// object, a plain sentence elsewhere.

import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_CODES, isPaperboyError, type ErrorCode } from '../../errors.js';

export function refuse(c: Context, status: 413 | 414 | 429, code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  const json = c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');
  return json ? c.json({ error: { code, message } }, status, headers) : c.text(`${message}\n`, status, headers);
}

export interface ErrorAnswer {
  code: ErrorCode;
  status: ContentfulStatusCode;
  headers: Record<string, string>;
  /** What the client is told: the error's own message, except for ours (a bug, the database), whose details stay in the log. */
  message: string;
}

/** How an error is answered; anything outside the catalogue is `internal`. */
export function errorHttp(err: unknown): ErrorAnswer {
  if (!isPaperboyError(err)) {
    return { code: 'internal', status: ERROR_CODES.internal.http, headers: {}, message: 'Something went wrong; the error was logged.' };
  }
  const headers: Record<string, string> = {};
  const retryAfter = err.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number' && retryAfter > 0) headers['Retry-After'] = String(Math.ceil(retryAfter));
  else if (err.code === 'store_failure') headers['Retry-After'] = '5';
  // A store failure names the database file: not for visitors.
  const message = err.code === 'store_failure' ? `The site is busy; nothing was lost. Try again in ${headers['Retry-After']} seconds.`
    : err.code === 'internal' ? 'Something went wrong; the error was logged.' : err.message;
  return { code: err.code, status: ERROR_CODES[err.code].http as ContentfulStatusCode, headers, message };
}
