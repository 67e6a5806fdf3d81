// A local SMTP server for bench:digest, in its own process so its CPU and memory are
// its own: accepts every message, counts it and its bytes, keeps nothing. Prints its port
// on start; on SIGTERM prints what it received and its peak RSS, as JSON, and exits.

import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

let messages = 0;
let bytes = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, _session, cb) {
    stream.on('data', (c: Buffer) => (bytes += c.length));
    stream.on('end', () => {
      messages++;
      cb(null);
    });
  },
});
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  process.stdout.write(JSON.stringify({ messages, bytes, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
  process.exit(0);
});
