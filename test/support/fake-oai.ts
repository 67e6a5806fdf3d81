// A local stand-in for arXiv's OAI-PMH endpoint: serves the project's fixture pages by
// resumption token, logs every request, and lets a test inject failures (503, 429,
// dropped connections, malformed or stalled pages) in front of the normal answers.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/oai-pmh');
export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** The 3-page arXivRaw chain: 5 readable records, 1 unreadable, 1 deleted. */
export const CHAIN_IDS = ['2503.10001', 'cs/9901001', '2503.10003', '2503.10005', 'hep-th/9901001'];
const CHAIN: Record<string, string> = { '': 'arXivRaw-page0.xml', '7000|3': 'arXivRaw-page1.xml', '7000|6': 'arXivRaw-page2-final.xml' };

export type Injection = (req: IncomingMessage, res: ServerResponse) => void;
export const inject = {
  status: (code: number, headers: Record<string, string> = {}): Injection => (_q, res) => { res.writeHead(code, headers); res.end(); },
  drop: (): Injection => (req) => req.socket.destroy(),
  body: (xml: string): Injection => (_q, res) => { res.writeHead(200, { 'Content-Type': 'text/xml' }); res.end(xml); },
  /** Never answers; resolves `reached` so the test knows the request arrived. */
  stall: (reached: () => void): Injection => () => reached(),
};

export interface FakeOai {
  url: string;
  /** Query strings of every request, in order. */
  requests: URLSearchParams[];
  /** Failures served before the normal answer, keyed by resumption token ('' = first request). */
  injections: Map<string, Injection[]>;
  /** Overrides the normal answer (e.g. an OAI error for a given from date or token). */
  answer?: (q: URLSearchParams) => string | undefined;
  close(): Promise<void>;
}

export async function startFakeOai(): Promise<FakeOai> {
  const fake: FakeOai = { url: '', requests: [], injections: new Map(), close: async () => {} };
  const server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    fake.requests.push(q);
    const token = q.get('resumptionToken') ?? '';
    const injected = fake.injections.get(token)?.shift();
    if (injected) return injected(req, res);
    const custom = fake.answer?.(q);
    const file = CHAIN[token];
    const xml = custom ?? (file ? fixture(file) : fixture('error-badResumptionToken.xml'));
    res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
    res.end(xml);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oai`;
  fake.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake;
}
