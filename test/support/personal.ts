// Helpers of the personal-digest tests: subscribing through the site, reading received
// digests (papers, reasons and feedback links) from a real SMTP server.

import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import { formPost, local, type World } from './digest-world.js';
import type { TestSmtp } from './smtp.js';

/** Subscribes through the form and confirms from the received email; the subscriber's id. */
export async function subscribe(w: World, smtp: TestSmtp, email: string): Promise<number> {
  const res = await formPost(w.app, '/subscribe', { email, hour: '7', tz: 'UTC' });
  assert.equal(res.status, 200);
  await w.subscriptions.idle();
  const mails = await smtp.parsed();
  const mail = mails.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === email).at(-1)!;
  const link = /https:\/\/papers\.example\.org\/subscribe\/confirm\?t=\S+/.exec(mail.text ?? '')![0];
  const done = await formPost(w.app, '/subscribe/confirm', { t: new URL(link).searchParams.get('t')! });
  assert.match(await done.text(), /You are subscribed/);
  return (await w.store.findSubscriber(email))!.id;
}

/** Opens the subscriber's manage link and returns the browser cookie it sets (the site then knows them). */
export async function recognise(w: World, email: string): Promise<{ cookie: string; manage: string }> {
  const links = await w.links.manageUrl((await w.store.findSubscriber(email))!, w.clock.now);
  const res = await w.app.request(local(links));
  assert.equal(res.status, 200);
  const cookie = /pb_reader=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  assert.ok(cookie, 'the manage link remembers the subscriber in this browser');
  return { cookie, manage: local(links) };
}

/** The latest digest received for an address. */
export async function digestFor(smtp: TestSmtp, to: string): Promise<ParsedMail> {
  const mails = (await smtp.parsed()).filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === to && (m.messageId ?? '').startsWith('<digest.'));
  return mails.at(-1)!;
}

/** Papers of a digest in order, with their reason and feedback links. */
export function entries(m: ParsedMail) {
  return [...(m.text ?? '').matchAll(/^\d+\. (.+)\n(?: {3}.*\n)*? {3}(.+)\n {3}Read more: \S+\n {3}arXiv: https:\/\/arxiv\.org\/abs\/(\S+)\n {3}More like this: (\S+)\n {3}Less like this: (\S+)\n {3}Save: (\S+)/gm)]
    .map((x) => ({ title: x[1]!, why: x[2]!, id: x[3]!, more: x[4]!, less: x[5]!, save: x[6]! }));
}

export const fields = (url: string) => Object.fromEntries(new URL(url).searchParams);
