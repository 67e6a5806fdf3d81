// A local stand-in for the GitHub REST API's GET /repos/{owner}/{repo}: star counts from a
// map, the rate-limit headers GitHub sends with every answer (X-RateLimit-Limit,
// -Remaining, -Reset), 403 once the budget is spent, 404 for unknown repositories, and
// overridable answers (429 with Retry-After, 401, 500).

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGithubAnswer { status: number; body: string; headers?: Record<string, string> }

export interface FakeGithub {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  /** "owner/name" (any case) → stargazers. */
  repos: Map<string, number>;
  /** Requests left in the current rate-limit window, and when it resets (epoch seconds). */
  remaining: number;
  resetAt: number;
  answer?: (path: string, n: number) => FakeGithubAnswer | undefined;
  close(): Promise<void>;
}

export async function startFakeGithub(): Promise<FakeGithub> {
  const fake: FakeGithub = {
    url: '', requests: [], repos: new Map(), remaining: 60, resetAt: Math.floor(Date.now() / 1000) + 3600, close: async () => {},
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    fake.requests.push({ path, headers: req.headers });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const custom = fake.answer?.(path, fake.requests.length);
    if (custom) return send(custom.status, custom.body, custom.headers);
    const limits = () => ({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': String(Math.max(0, fake.remaining)), 'X-RateLimit-Reset': String(fake.resetAt), 'X-RateLimit-Resource': 'core' });
    if (fake.remaining <= 0) {
      return send(403, { message: 'API rate limit exceeded for 127.0.0.1. (But here\'s the good news: Authenticated requests get a higher rate limit.)', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' }, limits());
    }
    fake.remaining--;
    const m = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path);
    const key = m && [...fake.repos.keys()].find((k) => k.toLowerCase() === `${m[1]}/${m[2]}`.toLowerCase());
    if (!key) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository' }, limits());
    send(200, {
      id: 1, name: key.split('/')[1], full_name: key, private: false, html_url: `https://github.com/${key}`,
      created_at: '2025-01-01T00:00:00Z', stargazers_count: fake.repos.get(key), watchers_count: fake.repos.get(key), forks_count: 3,
    }, limits());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake;
}
