// `paperboy digest preview EMAIL`: the digest a subscriber would get, composed exactly
// as the planner and outbox would (same window, same papers, same rendering), written
// to files for a look. Nothing is recorded and nothing is sent.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { messageSettings, toNodemailer } from '../mail/message.js';
import type { Subscriber } from '../store/subscriber-store.js';
import { createPersonalizer } from '../personal/personalize.js';
import { createComposer } from './compose.js';
import { digestMail } from './message.js';
import { digestMessageId, windowFor } from './plan.js';
import { createDigestRenderer } from './render/digest.js';
import type { DigestDeps } from './run.js';
import { addDays } from '../days.js';
import { localDate, slotOn, weekdayOf } from './slots.js';

export interface PreviewResult { eml: string; html: string; papers: number; window: { from: string; to: string }; date: string }

export async function previewDigest(deps: DigestDeps, s: Subscriber, o: { date?: string; outBase: string; now?: Date }): Promise<PreviewResult> {
  const now = o.now ?? new Date();
  let date = o.date ?? localDate(now, s.timeZone);
  // A weekly subscriber's preview is for their next delivery day.
  if (!o.date && s.frequency === 'weekly') while (weekdayOf(date) !== s.weekday) date = addDays(date, 1);
  const slot = slotOn(date, s);
  const window = windowFor(s, slot, deps.config.digest.maxWindowDays);
  const composer = createComposer({ trending: deps.trending, search: deps.search, size: deps.config.digest.size, now });
  const personalizer = createPersonalizer({ store: deps.store, trending: deps.trending, search: deps.search, size: deps.config.digest.size, now });
  const candidates = await personalizer.personalize(s, (await deps.store.personalProfiles([s.id])).get(s.id), await composer.candidates(s, window));
  const sent = (await deps.store.recentPapers([s.id], addDays(date, -(deps.config.digest.maxWindowDays + 9)))).get(s.id);
  const items = candidates.items.filter((i) => !sent?.has(i.paperId)).slice(0, deps.config.digest.size);
  const papers = new Map((await deps.store.getPapers(items.map((i) => i.paperId))).map((p) => [p.id, p]));
  const entries = items.flatMap((i) => (papers.has(i.paperId) ? [{ paper: papers.get(i.paperId)!, why: i.why }] : []));
  const render = createDigestRenderer({ baseUrl: deps.links.baseUrl });
  const sign = await deps.links.signer();
  const mail = digestMail(render, sign, s, { date, messageId: digestMessageId(s.id, date, deps.config.mail.from), entries }, now, await deps.links.feedbackSigner());
  const built = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }).sendMail(toNodemailer(mail, messageSettings(deps.config)));
  await mkdir(path.dirname(path.resolve(o.outBase)), { recursive: true });
  const eml = `${o.outBase}.eml`;
  const html = `${o.outBase}.html`;
  await writeFile(eml, built.message as Buffer);
  await writeFile(html, mail.html);
  return { eml, html, papers: entries.length, window, date };
}
