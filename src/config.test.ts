import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-config-'));

test('defaults need nothing', () => {
  const c = loadConfig({ env: {}, cwd: dir });
  assert.equal(c.database, './data/paperboy.db');
  assert.deepEqual(c.harvest.sets, ['cs']);
  assert.equal(c.harvest.minIntervalMs, 3000);
});

test('file < environment < flags', () => {
  const file = path.join(dir, 'paperboy.config.json');
  writeFileSync(file, JSON.stringify({ server: { port: 9000, host: '0.0.0.0' }, harvest: { sets: ['math'] } }));
  const fromFile = loadConfig({ env: {}, cwd: dir });
  assert.equal(fromFile.server.port, 9000);
  assert.deepEqual(fromFile.harvest.sets, ['math']);
  assert.equal(fromFile.harvest.metadataPrefix, 'arXivRaw', 'untouched keys keep their defaults');

  const fromEnv = loadConfig({ env: { PORT: '9100', PAPERBOY_SETS: 'cs, physics:hep-th' }, cwd: dir });
  assert.equal(fromEnv.server.port, 9100);
  assert.deepEqual(fromEnv.harvest.sets, ['cs', 'physics:hep-th']);
  assert.equal(fromEnv.server.host, '0.0.0.0');

  const fromFlags = loadConfig({ env: { PORT: '9100' }, cwd: dir, flags: { server: { port: 9200 } } });
  assert.equal(fromFlags.server.port, 9200);
});

test('the database follows --data-dir unless set on its own', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'paperboy-config-'));
  assert.equal(loadConfig({ env: {}, cwd: empty, flags: { dataDir: '/srv/pb' } }).database, '/srv/pb/paperboy.db');
  assert.equal(loadConfig({ env: { DATABASE_URL: '/x.db' }, cwd: empty, flags: { dataDir: '/srv/pb' } }).database, '/x.db');
});

test('bad values get one clear message naming each key', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'paperboy-config-'));
  assert.throws(
    () => loadConfig({ env: { PORT: 'eighty', PAPERBOY_OAI_URL: 'ftp://x', PAPERBOY_HARVEST_AT: '25:00' }, cwd: empty }),
    (e: Error) => /server\.port/.test(e.message) && /harvest\.oaiBaseUrl/.test(e.message) && /harvest\.dailyAt/.test(e.message),
  );
  assert.throws(() => loadConfig({ env: { PAPERBOY_HARVEST: 'maybe' }, cwd: empty }), /PAPERBOY_HARVEST must be true or false/);
  const broken = path.join(empty, 'broken.json');
  writeFileSync(broken, '{ nope');
  assert.throws(() => loadConfig({ env: {}, cwd: empty, file: broken }), /not valid JSON/);
  assert.throws(() => loadConfig({ env: {}, cwd: empty, file: 'missing.json' }), /Cannot read config file/);
});

test('a bad value from the environment names the variable and what it held', () => {
  assert.throws(() => loadConfig({ env: { PORT: 'abc' }, cwd: '/nonexistent' }),
    (e: Error) => /server\.port \(from PORT="abc"\): /.test(e.message), 'PORT=abc used to say only "server.port: … received NaN"');
  assert.throws(() => loadConfig({ env: { PAPERBOY_RATE_LIMIT: '-5' }, cwd: '/nonexistent' }), (e: Error) => /PAPERBOY_RATE_LIMIT="-5"/.test(e.message));
});

test('configured addresses go through the one address validator: a Name <address> sender, a local domain, no second line', () => {
  const mail = (from: string) => loadConfig({ env: { PAPERBOY_MAIL_FROM: from }, cwd: dir }).mail.from;
  assert.equal(mail('Paperboy <paperboy@localhost>'), 'Paperboy <paperboy@localhost>');
  assert.equal(mail('digest@papers.example.org'), 'digest@papers.example.org');
  for (const bad of ['Paperboy <a@example.org>\r\nBcc: x@example.org', 'a@b@example.org', 'Name <not an address>', 'a@-bad-.org']) {
    assert.throws(() => mail(bad), /mail\.from \(from PAPERBOY_MAIL_FROM=.*\): must be an address/s, JSON.stringify(bad));
  }
  assert.equal(loadConfig({ env: { PAPERBOY_CONTACT_EMAIL: 'ops@lab.example' }, cwd: dir }).contactEmail, 'ops@lab.example');
  assert.throws(() => loadConfig({ env: { PAPERBOY_CONTACT_EMAIL: 'ops at lab' }, cwd: dir }), /contactEmail \(from PAPERBOY_CONTACT_EMAIL="ops at lab"\): must be an email address/);
});
