// One shape for the refusals middleware gives before any route runs (413, 414, 429):
// the API's JSON error object under /api, a plain sentence elsewhere.

import type { Context } from 'hono';
import type { ErrorCode } from '../../errors.js';

export function refuse(c: Context, status: 413 | 414 | 429, code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  const json = c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');
  return json ? c.json({ error: { code, message } }, status, headers) : c.text(`${message}\n`, status, headers);
}
