// The planner: for every subscriber whose slot has come, decide that day's digest and
// record it in the outbox before anything is sent. Only the most recent slot counts, so
// a process that was down for days sends one digest per subscriber when it is back (its
// window reaches back to the last digest, up to digest.maxWindowDays), not one per missed
// day. A date already planned is never planned again (the outbox's unique key), so
// planning twice — two processes, a rerun after a crash — changes nothing.

import type { Config } from '../config.js';
import { senderDomain } from '../mail/message.js';
import type { Store } from '../store/store.js';
import type { DigestPlan } from '../store/digest-store.js';
import type { Subscriber } from '../store/subscriber-store.js';
import type { Personalizer } from '../personal/personalize.js';
import type { Composer, DigestWindow } from './compose.js';
import { addDays } from '../days.js';
import { latestSlot, nextSlot, slotOn, weekdayOf, type Slot } from './slots.js';

export interface PlanOptions {
  /** Plan this digest date for every active subscriber it is a delivery day for, whatever their hour. */
  date?: string;
  /** Decide without recording anything. */
  dryRun?: boolean;
  batchSize?: number;
}

export interface PlanSummary {
  /** Subscribers looked at. */
  considered: number;
  /** Digests recorded (or, in a dry run, that would be) with papers to send. */
  planned: number;
  /** Days with nothing new for the subscriber (recorded as skipped unless digest.sendEmpty). */
  empty: number;
  /** Subscribers whose date was already planned. */
  alreadyPlanned: number;
  /** In a dry run: the first few decisions, for a look. */
  sample: { subscriberId: number; date: string; window: DigestWindow; paperIds: string[] }[];
}

export interface PlannerDeps {
  store: Store;
  composer: Composer;
  /** Re-ranks the candidates of subscribers who gave feedback, saved papers or set rules. */
  personalizer?: Personalizer;
  config: Config;
  now: Date;
}

/** The window of announcement days a digest covers: since the last one (a day of overlap, as sent papers are skipped anyway), at most maxWindowDays. */
export function windowFor(s: Pick<Subscriber, 'lastDigestDate' | 'frequency'>, slot: Slot, maxWindowDays: number): DigestWindow {
  const to = slot.at.toISOString().slice(0, 10);
  const earliest = addDays(to, -(maxWindowDays - 1));
  const since = s.lastDigestDate ? addDays(s.lastDigestDate, -1) : addDays(to, s.frequency === 'weekly' ? -6 : -1);
  const from = since < earliest ? earliest : since;
  return { from: from > to ? to : from, to };
}

export function digestMessageId(subscriberId: number, date: string, from: string): string {
  // The same for every attempt, so a receiving system that deduplicates by Message-ID can.
  return `<digest.${date}.${subscriberId}@${senderDomain(from)}>`;
}

export async function planDigests(deps: PlannerDeps, opts: PlanOptions = {}): Promise<PlanSummary> {
  const { store, composer, config, now } = deps;
  const batchSize = opts.batchSize ?? 500;
  const nowIso = now.toISOString();
  const summary: PlanSummary = { considered: 0, planned: 0, empty: 0, alreadyPlanned: 0, sample: [] };
  const editions = new Map<string, Promise<number>>();
  let afterId = 0;

  for (;;) {
    const batch = opts.date
      ? await store.listSubscribers({ status: 'active', afterId, limit: batchSize })
      : await store.dueSubscribers(nowIso, afterId, batchSize);
    if (!batch.length) break;
    afterId = batch.at(-1)!.id;
    summary.considered += batch.length;

    const work: { s: Subscriber; slot: Slot; window: DigestWindow; next: string }[] = [];
    const reschedule: { subscriberId: number; nextDueAt: string }[] = [];
    for (const s of batch) {
      if (opts.date && s.frequency === 'weekly' && weekdayOf(opts.date) !== s.weekday) continue;
      const slot = opts.date ? slotOn(opts.date, s) : latestSlot(s, now);
      const next = nextSlot(s, slot.at > now ? slot.at : now).at.toISOString();
      if (s.lastDigestDate && slot.date <= s.lastDigestDate) {
        summary.alreadyPlanned++;
        reschedule.push({ subscriberId: s.id, nextDueAt: next });
        continue;
      }
      work.push({ s, slot, next, window: windowFor(s, slot, config.digest.maxWindowDays) });
    }

    const since = addDays(now.toISOString().slice(0, 10), -(config.digest.maxWindowDays + 9));
    const sent = await store.recentPapers(work.map((w) => w.s.id), since);
    const profiles = deps.personalizer && work.length ? await store.personalProfiles(work.map((w) => w.s.id)) : new Map();
    const plans: DigestPlan[] = [];
    for (const w of work) {
      const shared = await composer.candidates(w.s, w.window);
      const candidates = deps.personalizer ? await deps.personalizer.personalize(w.s, profiles.get(w.s.id), shared) : shared;
      const had = sent.get(w.s.id);
      const paperIds = candidates.items.filter((i) => !had?.has(i.paperId)).slice(0, config.digest.size).map((i) => i.paperId);
      const send = paperIds.length > 0 || config.digest.sendEmpty;
      if (paperIds.length) summary.planned++;
      else summary.empty++;
      if (opts.dryRun) {
        if (summary.sample.length < 20) summary.sample.push({ subscriberId: w.s.id, date: w.slot.date, window: w.window, paperIds });
        continue;
      }
      let editionId: number | null = null;
      if (paperIds.length) {
        let id = editions.get(candidates.key);
        if (!id) editions.set(candidates.key, (id = store.saveEdition(candidates.key, { windowFrom: w.window.from, windowTo: w.window.to, items: candidates.items }, nowIso)));
        editionId = await id;
      }
      plans.push({
        subscriberId: w.s.id, digestDate: w.slot.date, status: send ? 'pending' : 'skipped', editionId, paperIds,
        messageId: digestMessageId(w.s.id, w.slot.date, config.mail.from), nextDueAt: w.next,
      });
    }
    if (!opts.dryRun) {
      await store.planDigests(plans, nowIso);
      if (reschedule.length) await store.rescheduleSubscribers(reschedule, nowIso);
    }
    if (batch.length < batchSize) break;
  }
  return summary;
}
