// Server-rendered pages: home (daily/weekly/monthly), search, a page per paper,
// category and author pages, upvotes, subscribing (confirm, manage, unsubscribe) and /static assets.

import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import type { PageCache } from '../middleware/page-cache.js';
import type { PageContext } from './context.js';
import { registerFetchPaper } from './fetch-paper.js';
import { registerHome } from './home.js';
import { registerListings } from './listing.js';
import { registerPaper } from './paper.js';
import { registerCitations } from './citations.js';
import { registerSearch } from './search-page.js';
import { createGuard } from './security.js';
import { staticRoutes } from './static.js';
import { registerSubscribe } from './subscribe.js';
import { registerManage } from './manage.js';
import { registerFeedback } from './feedback.js';
import { registerLibrary } from './library.js';
import { registerPersonalActions } from './personal-actions.js';
import { registerPrivacy } from './privacy.js';
import { registerUnsubscribe } from './unsubscribe.js';
import { registerVotes } from './votes.js';

export { pageNumber } from './context.js';

export function pageRoutes(deps: AppDeps, pages?: PageCache): Hono {
  const app = new Hono();
  const ctx: PageContext = { ...deps, guard: createGuard(deps.store, { trustProxy: deps.http?.trustProxy }), pagesChanged: () => pages?.clear() };
  app.route('/static', staticRoutes());
  registerHome(app, ctx);
  registerSearch(app, ctx);
  registerVotes(app, ctx);
  registerCitations(app, ctx);
  registerFetchPaper(app, ctx);
  registerPaper(app, ctx);
  registerListings(app, ctx);
  registerSubscribe(app, ctx);
  registerManage(app, ctx);
  registerUnsubscribe(app, ctx);
  registerFeedback(app, ctx);
  registerPersonalActions(app, ctx);
  registerLibrary(app, ctx);
  registerPrivacy(app, ctx);
  return app;
}
