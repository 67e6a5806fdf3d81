// A local stand-in for Hugging Face's /api/daily_papers: answers ?date=YYYY-MM-DD (and
// &p=N pages of 50) from made-up items in the API's real shape, logs every request, and
// lets tests override answers (errors, broken JSON, slow answers).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HfItemSpec {
  id: string;
  title: string;
  upvotes?: number;
  comments?: number;
  stars?: number;
  repo?: string;
  /** arXiv submission time as HF reports it. */
  publishedAt?: string;
}

/** One item as /api/daily_papers returns it (newer days' fields included; older days lack some). */
export function hfItem(s: HfItemSpec, day: string): Record<string, unknown> {
  return {
    paper: {
      id: s.id,
      authors: [
        { _id: `a-${s.id}-1`, name: 'Ada Example', hidden: false, user: { user: 'ada', fullname: 'Ada Example', type: 'user' } },
        { _id: `a-${s.id}-2`, name: 'Hidden Person', hidden: true },
      ],
      publishedAt: s.publishedAt ?? `${day}T00:00:00.000Z`,
      submittedOnDailyAt: `${day}T00:00:00.000Z`,
      title: s.title,
      summary: `An abstract for ${s.title},\nwith a line break as the API sends it.`,
      upvotes: s.upvotes ?? 0,
      discussionId: `d-${s.id}`,
      ...(s.repo ? { githubRepo: s.repo, githubRepoAddedBy: 'user' } : {}),
      ...(s.stars !== undefined ? { githubStars: s.stars } : {}),
      ai_summary: 'A made-up summary.',
      ai_keywords: ['made-up'],
    },
    publishedAt: `${day}T08:00:00.000Z`,
    title: s.title,
    summary: `An abstract for ${s.title}`,
    thumbnail: `https://example.org/thumbnails/${s.id}.png`,
    numComments: s.comments ?? 0,
    submittedBy: { _id: 'u1', fullname: 'Submitter', name: 'submitter', type: 'user', isPro: false },
    isAuthorParticipating: false,
  };
}

export interface FakeHfAnswer { status?: number; body?: string; headers?: Record<string, string>; delayMs?: number }

export interface FakeHf {
  url: string;
  requests: URLSearchParams[];
  /** Items per day, in the order the list shows them. */
  days: Map<string, Record<string, unknown>[]>;
  /** Overrides the normal answer for a request. */
  answer?: (q: URLSearchParams, n: number) => FakeHfAnswer | undefined;
  close(): Promise<void>;
}

export async function startFakeHf(): Promise<FakeHf> {
  const fake: FakeHf = { url: '', requests: [], days: new Map(), close: async () => {} };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    fake.requests.push(u.searchParams);
    const custom = fake.answer?.(u.searchParams, fake.requests.length);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(body);
    };
    const answer = () => {
      if (custom) return send(custom.status ?? 200, custom.body ?? '[]', custom.headers);
      if (u.pathname !== '/api/daily_papers') return send(404, '{"error":"Sorry, we can\'t find the page you are looking for."}');
      const page = Number(u.searchParams.get('p') ?? 0);
      const items = fake.days.get(u.searchParams.get('date') ?? '') ?? [];
      send(200, JSON.stringify(items.slice(page * 50, page * 50 + 50)));
    };
    if (custom?.delayMs) setTimeout(answer, custom.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake;
}
