// A local stand-in for the arXiv API (`/api/query`): answers id_list and search_query
// (with start/max_results paging) from the entries in the project's Atom fixtures, and
// logs every request. Tests swap entries (a new version) or override answers.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/arxiv-atom');
export const atomFixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** The <entry> elements of a fixture, keyed by unversioned id (old and new style). */
export function entriesOf(name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of atomFixture(name).matchAll(/<entry>[\s\S]*?<\/entry>/g)) {
    const id = /<id>https?:\/\/arxiv\.org\/abs\/(.+?)(?:v\d+)?<\/id>/.exec(m[0])?.[1];
    if (id) out.set(id, m[0]);
  }
  return out;
}

export function feed(entries: string[], total: number, start: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>https://arxiv.org/api/fake</id><title>arXiv Query</title><updated>2025-03-21T00:00:00Z</updated>
  <opensearch:itemsPerPage>${entries.length}</opensearch:itemsPerPage>
  <opensearch:totalResults>${total}</opensearch:totalResults>
  <opensearch:startIndex>${start}</opensearch:startIndex>
${entries.join('\n')}
</feed>`;
}

export interface FakeArxivApi {
  url: string;
  /** Query strings of every request, in order. */
  requests: URLSearchParams[];
  /** Every paper the fake knows, in search-result order; tests may replace entries. */
  entries: Map<string, string>;
  /** Overrides the normal answer for a request: [status, body]. */
  answer?: (q: URLSearchParams) => [number, string] | undefined;
  close(): Promise<void>;
}

export async function startFakeArxivApi(): Promise<FakeArxivApi> {
  const fake: FakeArxivApi = {
    url: '', requests: [], close: async () => {},
    entries: new Map([...entriesOf('new-style.xml'), ...entriesOf('old-style.xml')]),
  };
  const server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    fake.requests.push(q);
    const start = Number(q.get('start') ?? 0);
    const max = Number(q.get('max_results') ?? 10);
    let answer = fake.answer?.(q);
    if (!answer && q.get('id_list')) {
      const ids = q.get('id_list')!.split(',').map((s) => s.replace(/v\d+$/, ''));
      // Like arXiv, totalResults counts the ids asked for, found or not.
      answer = [200, feed(ids.flatMap((id) => fake.entries.get(id) ?? []), ids.length, 0)];
    }
    if (!answer) {
      const all = [...fake.entries.values()];
      answer = [200, feed(all.slice(start, start + max), all.length, start)];
    }
    res.writeHead(answer[0], { 'Content-Type': 'application/atom+xml; charset=utf-8' });
    res.end(answer[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/query`;
  fake.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake;
}
