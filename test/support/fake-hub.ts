// A real local HTTP server playing the Hugging Face Hub for `models pull`: the revision
// listing with blob metadata (git blob ids, LFS sha256 and sizes), downloads at
// /{repo}/resolve/{rev}/{file} that redirect LFS files to a "CDN" path as the Hub does,
// HTTP Range, and misbehaviours on demand (dropped connections, corrupted bytes, Range ignored).

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepo { sha: string; files: Record<string, Buffer> }
export interface HubRequest { path: string; range: string | undefined; auth: string | undefined; bytesSent: number }

export interface FakeHub {
  url: string;
  repos: Map<string, FakeRepo>;
  requests: HubRequest[];
  /** Per file path: send only this many bytes of the body, then drop the connection (once per entry). */
  dropAfter: Map<string, number[]>;
  /** Per file path: send only this many bytes, then keep the connection open and silent (once per entry). */
  stallAfter: Map<string, number[]>;
  /** Per file path: bytes served instead of the listed ones. */
  corrupt: Map<string, Buffer>;
  ignoreRange: boolean;
  close(): Promise<void>;
}

const isLfs = (file: string) => /\.(onnx|onnx_data|bin|safetensors)$/.test(file);
const gitBlobId = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

export async function startFakeHub(): Promise<FakeHub> {
  const hub: Omit<FakeHub, 'url' | 'close'> = { repos: new Map(), requests: [], dropAfter: new Map(), stallAfter: new Map(), corrupt: new Map(), ignoreRange: false };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const record: HubRequest = { path: url.pathname + url.search, range: req.headers.range, auth: req.headers.authorization, bytesSent: 0 };
    hub.requests.push(record);
    const notFound = () => { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('Repository not found'); };

    const listing = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (listing) {
      const repo = hub.repos.get(listing[1]!);
      if (!repo || !['main', 'v1', repo.sha].includes(decodeURIComponent(listing[2]!))) return notFound();
      const blobs = url.searchParams.get('blobs') === 'true';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({
        id: listing[1], sha: repo.sha, private: false,
        siblings: Object.entries(repo.files).map(([rfilename, b]) => (blobs
          ? { rfilename, size: b.length, blobId: gitBlobId(b), ...(isLfs(rfilename) ? { lfs: { sha256: createHash('sha256').update(b).digest('hex'), size: b.length, pointerSize: 134 } } : {}) }
          : { rfilename })),
      }));
      return;
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const repo = hub.repos.get(resolve[1]!);
      const file = decodeURIComponent(resolve[3]!);
      if (!repo || resolve[2] !== repo.sha || !repo.files[file]) return notFound();
      // LFS files live elsewhere: the Hub answers with a redirect to its storage.
      if (isLfs(file)) { res.writeHead(302, { Location: `/cdn/${resolve[1]}/${resolve[2]}/${resolve[3]}` }); res.end(); return; }
      return send(repo.files[file]!, file);
    }
    const cdn = /^\/cdn\/([^/]+\/[^/]+)\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (cdn) {
      const file = decodeURIComponent(cdn[3]!);
      const bytes = hub.repos.get(cdn[1]!)?.files[file];
      return bytes ? send(bytes, file) : notFound();
    }
    notFound();

    function send(listed: Buffer, file: string) {
      const bytes = hub.corrupt.get(file) ?? listed;
      const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const start = m && !hub.ignoreRange ? Number(m[1]) : 0;
      if (start > bytes.length) { res.writeHead(416); res.end(); return; }
      const body = bytes.subarray(start);
      res.writeHead(start ? 206 : 200, {
        'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length), 'Accept-Ranges': 'bytes',
        ...(start ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
      });
      const stall = hub.stallAfter.get(file)?.shift();
      if (stall !== undefined) {
        res.write(body.subarray(0, stall));
        record.bytesSent = stall;
        return;
      }
      const drop = hub.dropAfter.get(file)?.shift();
      if (drop !== undefined) {
        // Half a body, then the connection dies, as when a download is killed or cut.
        res.write(body.subarray(0, drop), () => setTimeout(() => req.socket.destroy(), 20));
        record.bytesSent = drop;
        return;
      }
      record.bytesSent = body.length;
      res.end(body);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(hub, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  }) as FakeHub;
}
