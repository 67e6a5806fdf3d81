// An SMTP server on loopback that lies the way real ones sometimes do: it stores a
// message and then drops the connection before answering 250 (a crash or a network cut
// between its disk and its reply), or drops a connection before the message. Which
// messages are cut is decided by a rule, so tests can be exact and measurements random.

import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Received } from '../support/smtp.js';

/** Where a message's connection is cut: after its data was stored (no 250), or at RCPT (nothing sent). */
export type Cut = 'after-store' | 'at-rcpt' | null;

export interface LyingSmtp {
  url: string;
  received: Received[];
  /** Decides a cut; `n` counts earlier attempts for this address (0 the first time). */
  rule: (stage: 'rcpt' | 'data', address: string, n: number) => Cut;
  /** Connections cut, by kind. */
  cuts: { afterStore: number; atRcpt: number };
  close(): Promise<void>;
}

export async function startLyingSmtp(): Promise<LyingSmtp> {
  const attempts = new Map<string, number>();
  const count = (key: string) => {
    const n = attempts.get(key) ?? 0;
    attempts.set(key, n + 1);
    return n;
  };
  const drop = (session: SMTPServerSession) => {
    for (const c of (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections) {
      if (c.id === session.id) c._socket.destroy();
    }
  };
  const t: LyingSmtp = {
    url: '', received: [], rule: () => null, cuts: { afterStore: 0, atRcpt: 0 },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, session, cb) {
      if (t.rule('rcpt', address.address, count(`rcpt|${address.address}`)) === 'at-rcpt') {
        t.cuts.atRcpt++;
        return drop(session);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        // Stored first, as a server that has committed the message to its queue.
        t.received.push({ to, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', raw: Buffer.concat(chunks) });
        if (t.rule('data', to[0] ?? '', count(`data|${to[0]}`)) === 'after-store') {
          t.cuts.afterStore++;
          return drop(session); // ...and gone before its 250
        }
        cb(null);
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return t;
}
