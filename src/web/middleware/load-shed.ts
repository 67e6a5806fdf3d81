// Fair admission under overload: pages are rendered in arrival order, a few milliseconds
// per turn of the event loop, and a request that waits longer than `maxWaitMs` for its
// turn gets a 503 with Retry-After then, instead of a hang until the client gives up.
//
// Why turns must stay short: Node (libuv ≥ 1.45) accepts one new connection per turn of
// the event loop, and rendering is synchronous (SQLite, the search index, HTML). When a
// turn rendered every request it had read, 200 busy clients made turns of 100 ms and
// more, new connections were accepted at ~10 a second, and a burst of new clients sat in
// the kernel's accept queue until their 10 s timeout, although no handler took more than
// 0.3 s. So a turn renders for at most `sliceMs` (one or two pages), and while pages wait
// the loop turns IDLE_TURNS times without rendering in between, each such turn costing
// microseconds and accepting a waiting connection; what was read beyond that waits in a
// FIFO queue, so a request that arrived earlier is served earlier, whichever socket it
// came on.
//
// Why a bound on the wait: with more clients than the server renders pages, a queue only
// grows. A request still waiting after `maxWaitMs` gets a 503 with Retry-After then, so
// every answer comes within about `maxWaitMs` plus one page; a request that finds the
// queue full is refused at once. Refusing at once whatever cannot be served soon looks
// kinder but is not: clients that ignore Retry-After (scripts, load generators) ask again
// at once, and answering that stream of refusals took most of a busy server's time (on
// 200 such clients: ~1,300 refusals a second against ~25 pages), so a refusal is given
// no sooner than the wait it stands for. Pages served from the shared-page cache, form
// posts (votes, subscribing: a person is waiting on each), health checks, metrics and
// static files never queue.

import type { Context, MiddlewareHandler } from 'hono';
import type { ErrorCode } from '../../errors.js';

export interface LoadShedOptions {
  /** Longest a page request may wait for its turn before it gets 503; 0 turns queueing and shedding off. */
  maxWaitMs: number;
  /** Milliseconds of rendering per turn of the event loop before the rest wait for the next turn. */
  sliceMs?: number;
  /** Requests that need no rendering turn (e.g. answered from the shared-page cache). */
  exempt?: (c: Context) => boolean;
  now?: () => number;
  /** Called for every refusal (metrics). */
  onShed?: () => void;
}

const EXEMPT = /^\/(healthz|metrics|static\/)/;
/** Requests beyond this many waiting are refused at once (each waiting request holds only a socket and a closure). */
export const MAX_QUEUE = 2048;
/** One first-time search or paper page on this machine kind (docs/benchmarks.md): short turns keep accepting. */
export const SLICE_MS = 10;
/** Turns without rendering between two that render, while pages wait: each accepts a waiting connection. */
export const IDLE_TURNS = 2;

interface Waiter { at: number; admit: (ok: boolean) => void }

/** The client's socket when the request came from one; in-process requests (`app.request()`, tests) queue behind nobody. */
const socketOf = (c: Context) => (c.env as { incoming?: { socket?: { destroyed?: boolean } } } | undefined)?.incoming;

export function loadShed(o: LoadShedOptions): MiddlewareHandler {
  const now = o.now ?? (() => performance.now());
  const slice = o.sliceMs ?? SLICE_MS;
  const queue: Waiter[] = [];
  let turnStart = -1;
  let admittedThisTurn = 0;
  /** Recent wall time of one admitted page (exponential average), for the wait estimate. */
  let pageMs = slice;

  // setImmediate callbacks run after the poll phase that read the sockets: the end of a turn.
  // While requests wait, the loop turns IDLE_TURNS times without rendering (each such turn
  // costs microseconds and accepts a waiting connection), then a turn admits from the head.
  let idle = 0;
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(closeTurn);
  };
  const closeTurn = () => {
    scheduled = false;
    turnStart = -1;
    admittedThisTurn = 0;
    if (!queue.length) return;
    if (idle < IDLE_TURNS) {
      idle++;
      schedule();
      return;
    }
    idle = 0;
    openTurn();
    admitNext();
  };
  const openTurn = () => {
    if (turnStart >= 0) return;
    turnStart = now();
    schedule();
  };
  const budgetLeft = () => admittedThisTurn === 0 || now() - turnStart < slice;
  /** Admits the head of the queue when this turn has budget; the page's end admits the next (see below). */
  const admitNext = () => {
    while (queue.length) {
      const head = queue[0]!;
      if (now() - head.at > o.maxWaitMs) {
        queue.shift();
        head.admit(false);
        continue;
      }
      if (!budgetLeft()) return;
      queue.shift();
      admittedThisTurn++;
      head.admit(true);
      return;
    }
  };
  const estimatedWaitMs = () => (queue.length + 1) * pageMs;

  const refuse = (c: Context, waitMs: number) => {
    o.onShed?.();
    const retry = String(Math.min(30, Math.max(1, Math.ceil(waitMs / 1000))));
    c.header('Retry-After', retry);
    c.header('Cache-Control', 'no-store');
    const message = `The server is busy; try again in ${retry} s.`;
    const code: ErrorCode = 'overloaded';
    return c.req.path.startsWith('/api/') ? c.json({ error: { code, message } }, 503) : c.text(`${message}\n`, 503);
  };

  return async (c, next) => {
    const socket = socketOf(c);
    if (!(o.maxWaitMs > 0) || (c.req.method !== 'GET' && c.req.method !== 'HEAD') || EXEMPT.test(c.req.path) || !socket || o.exempt?.(c)) return next();
    openTurn();
    if (queue.length || !budgetLeft()) {
      // Behind others, or this turn has rendered its share: wait in line.
      if (queue.length >= MAX_QUEUE) return refuse(c, estimatedWaitMs());
      const ok = await new Promise<boolean>((admit) => queue.push({ at: now(), admit }));
      // A client that gave up meanwhile gets no page rendered for nobody.
      if (!ok || socket.socket?.destroyed) {
        if (ok) admitNext();
        return refuse(c, estimatedWaitMs());
      }
    } else admittedThisTurn++;
    const start = now();
    try {
      await next();
    } finally {
      pageMs = 0.8 * pageMs + 0.2 * (now() - start);
      // Still within this turn's slice: the next in line is rendered right away, in the same turn.
      if (turnStart >= 0) admitNext();
    }
  };
}
