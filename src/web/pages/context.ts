// What every page handler gets: the app's dependencies plus the visitor guard, and the
// small helpers the list pages share.

import type { Paper } from '../../papers/paper.js';
import type { PaperLinks } from '../../store/extras-store.js';
import type { VoteSummary } from '../../store/store.js';
import type { AppDeps } from '../app.js';
import type { Guard, Session } from './security.js';
import { sharePage } from '../middleware/page-cache.js';
import type { Context } from 'hono';

export interface PageContext extends AppDeps {
  guard: Guard;
  /** Call after a change the pages show (a vote), so shared copies are not served stale. */
  pagesChanged(): void;
}

/** Lets an anonymous visitor's page be shared (see middleware/page-cache.ts). */
export function shareIfAnonymous(c: Context, session: Session): void {
  if (session.visitor === null) sharePage(c);
}

export const PAGE_SIZE = 25;

export function pageNumber(p: string | undefined): number {
  const n = Number.parseInt(p ?? '1', 10);
  return Number.isFinite(n) && n >= 1 && n <= 10_000 ? n : 1;
}

/** Code, project page, summary and keywords of the papers a page lists. */
export async function linksFor(ctx: PageContext, papers: Paper[]): Promise<Map<string, PaperLinks>> {
  return papers.length ? ctx.store.linksOf(papers.map((p) => p.id)) : new Map();
}

export async function votesFor(ctx: PageContext, papers: Paper[], visitor: string | null): Promise<Map<string, VoteSummary>> {
  return papers.length ? ctx.store.voteSummaries(papers.map((p) => p.id), visitor) : new Map();
}

/** `base` with its query parameters replaced by `params` (empty values dropped). */
export function withParams(base: string, params: Record<string, string | number | undefined>): string {
  const u = new URL(base, 'http://x');
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') u.searchParams.delete(k);
    else u.searchParams.set(k, String(v));
  }
  return u.pathname + u.search;
}
