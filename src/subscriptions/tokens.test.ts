// Signed links: a token verifies only with its key, for its purpose, before its expiry,
// and any change to it is a forgery.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newNonce, signToken, verifyToken } from './tokens.js';

const key = 'k'.repeat(43);
const now = new Date('2026-06-30T00:00:00Z');
const claims = { subscriberId: 42, expires: now.getTime() / 1000 + 3600, nonce: newNonce() };

test('a token verifies for its purpose until it expires', () => {
  const t = signToken(key, 'confirm', claims);
  assert.deepEqual(verifyToken(key, 'confirm', t, now), { ok: true, claims });
  assert.deepEqual(verifyToken(key, 'confirm', t, new Date(now.getTime() + 3600_000)), { ok: false, reason: 'expired' });
});

test('another key, another purpose, or any altered part is a forgery', () => {
  const t = signToken(key, 'manage', { ...claims, nonce: '' });
  assert.equal(verifyToken('other'.repeat(9), 'manage', t, now).ok, false);
  assert.deepEqual(verifyToken(key, 'unsubscribe', t, now), { ok: false, reason: 'forged' });
  const parts = t.split('.');
  for (let i = 0; i < 4; i++) {
    const altered = [...parts];
    altered[i] = i === 3 ? `${altered[i]!.slice(0, -1)}${altered[i]!.endsWith('A') ? 'B' : 'A'}` : `${altered[i]}1`;
    assert.equal(verifyToken(key, 'manage', altered.join('.'), now).ok, false, `part ${i}`);
  }
  for (const junk of [undefined, 42, '', 'a.b.c', `${t}.x`, t.replace(/\./g, '')]) assert.deepEqual(verifyToken(key, 'manage', junk, now), { ok: false, reason: 'malformed' });
});
