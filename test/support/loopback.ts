// Serves an app on a free loopback port, for tests that need a real HTTP server between
// them and the app (a browser, a client library, many sockets).

import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export async function serveOnLoopback(fetch: (request: Request) => Response | Promise<Response>): Promise<{ server: ServerType; port: number; base: string }> {
  const server = serve({ fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port, base: `http://127.0.0.1:${port}` };
}
