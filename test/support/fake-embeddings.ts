// A real local HTTP server answering like an OpenAI-compatible POST /v1/embeddings
// (Ollama, text-embeddings-inference, vLLM). Its vectors are bags of hashed words, so equal
// texts get equal vectors and texts sharing words are close. Tests queue misbehaviours
// (status codes, Retry-After, dropped connections, slow or broken answers) one per request.

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Misbehaviour =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { drop: true }
  | { delayMs: number }
  | { body: string }
  | { dimensions: number };

export interface EmbeddingsRequest { path: string; headers: IncomingHttpHeaders; body: { model?: string; input?: string[]; dimensions?: number }; at: number }

export interface FakeEmbeddings {
  url: string;
  requests: EmbeddingsRequest[];
  /** Applied to the next requests, one each, in order. */
  next: Misbehaviour[];
  dimensions: number;
  close(): Promise<void>;
}

export function bagOfWords(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 2166136261;
    for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[(h >>> 0) % dim]! += 1;
  }
  v[dim - 1]! += 0.01; // never a zero vector
  return v.map((x) => x * 3); // not unit length: the client must normalise
}

export async function startFakeEmbeddings(opts: { key?: string; dimensions?: number } = {}): Promise<FakeEmbeddings> {
  const fake: Omit<FakeEmbeddings, 'url' | 'close'> = { requests: [], next: [], dimensions: opts.dimensions ?? 16 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: EmbeddingsRequest['body'] = {};
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { /* answered below */ }
      fake.requests.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
      const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(payload);
      };
      const answer = (dim: number) => send(200, JSON.stringify({
        object: 'list', model: body.model,
        // Listed in reverse: clients must order by "index", not by position.
        data: (body.input ?? []).map((text, index) => ({ object: 'embedding', index, embedding: bagOfWords(text, dim) })).reverse(),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }));
      const m = fake.next.shift();
      if (m && 'drop' in m) { req.socket.destroy(); return; }
      if (m && 'delayMs' in m) { const t = setTimeout(() => answer(fake.dimensions), m.delayMs); res.on('close', () => clearTimeout(t)); return; }
      if (m && 'status' in m) { send(m.status, m.body ?? JSON.stringify({ error: { message: `status ${m.status}` } }), m.headers); return; }
      if (m && 'body' in m) { send(200, m.body); return; }
      if (opts.key && req.headers.authorization !== `Bearer ${opts.key}`) {
        // Like OpenAI: the refusal quotes part of the key it was given.
        send(401, JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization?.slice(7) ?? '(none)'}` } }));
        return;
      }
      if (req.url !== '/v1/embeddings') { send(404, JSON.stringify({ error: 'Not Found' })); return; }
      if (body.model !== 'test-embed' && body.model !== 'nomic-embed-text') { send(404, JSON.stringify({ error: `model "${body.model}" not found, try pulling it first` })); return; }
      answer(m && 'dimensions' in m ? m.dimensions : body.dimensions ?? fake.dimensions);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  }) as FakeEmbeddings;
}
