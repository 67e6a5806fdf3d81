// A real SMTP server on loopback (smtp-server) for the digest tests, with faults on
// demand: reply codes (421 at connect, 451/550 at RCPT or DATA), connections dropped
// before the message or after its data (in which case, like a real server that never
// said 250, it keeps nothing), a slow server, and the server going down and coming back
// on the same port. Messages are kept raw and parsed with mailparser.

import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export type Stage = 'connect' | 'rcpt' | 'data';
/** A reply code and text, 'drop' to cut the connection, or null to carry on. */
export type Fault = { code: number; message: string } | 'drop' | null;
/** Decides a fault; `n` counts earlier calls for this stage and address (0 the first time). */
export type FaultRule = (stage: Stage, address: string, n: number) => Fault;

export interface Received { to: string[]; from: string; raw: Buffer }

export interface TestSmtp {
  port: number;
  /** smtp://127.0.0.1:PORT */
  url: string;
  received: Received[];
  faults: FaultRule | null;
  /** Milliseconds to wait before accepting each message's data. */
  delayMs: number;
  /** Called with each message as it is accepted (before the 250 reply). */
  onMessage: ((m: Received) => void) | null;
  parsed(): Promise<ParsedMail[]>;
  /** Messages per recipient address. */
  countsByRecipient(): Map<string, number>;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Stops listening and cuts open connections: the server is down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(port = 0): Promise<TestSmtp> {
  const seen = new Map<string, number>();
  let server: SMTPServer | null = null;
  const t: TestSmtp = {
    port, url: '', received: [], faults: null, delayMs: 0, onMessage: null,
    parsed: () => Promise.all(t.received.map((m) => simpleParser(m.raw))),
    countsByRecipient() {
      const m = new Map<string, number>();
      for (const r of t.received) for (const to of r.to) m.set(to, (m.get(to) ?? 0) + 1);
      return m;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (t.received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} messages, got ${t.received.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async down() {
      if (!server) return;
      const s = server;
      server = null;
      for (const c of (s as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections) c._socket.destroy();
      await new Promise<void>((r) => s.close(() => r()));
    },
    async up() {
      server = create();
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(t.port, '127.0.0.1', () => resolve());
      });
      t.port = (server.server.address() as AddressInfo).port;
      t.url = `smtp://127.0.0.1:${t.port}`;
    },
    close: () => t.down(),
  };

  const fault = (stage: Stage, address: string): Fault => {
    if (!t.faults) return null;
    const key = `${stage}|${address}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return t.faults(stage, address, n);
  };
  const drop = (s: SMTPServer, session: SMTPServerSession) => {
    for (const c of (s as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections) {
      if (c.id === session.id) c._socket.destroy();
    }
  };
  const refusal = (f: Exclude<Fault, 'drop' | null>) => Object.assign(new Error(f.message), { responseCode: f.code });

  function create(): SMTPServer {
    const s: SMTPServer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect(session, cb) {
        const f = fault('connect', '*');
        if (f === 'drop') return drop(s, session);
        cb(f ? refusal(f) : undefined);
      },
      onRcptTo(address, session, cb) {
        const f = fault('rcpt', address.address);
        if (f === 'drop') return drop(s, session);
        cb(f ? refusal(f) : undefined);
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          const f = fault('data', to[0] ?? '');
          if (f === 'drop') return drop(s, session); // never said 250: keeps nothing
          if (f) return cb(refusal(f));
          const accept = () => {
            const m = { to, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', raw: Buffer.concat(chunks) };
            t.received.push(m);
            t.onMessage?.(m);
            cb(null);
          };
          if (t.delayMs) setTimeout(accept, t.delayMs);
          else accept();
        });
      },
    });
    s.on('error', () => {}); // a client cut off mid-command is not a test failure
    return s;
  }

  await t.up();
  return t;
}
