// Alerts a subscriber asked for, as their own emails: a new paper by someone they follow
// (namesakes told apart: people.ts) and a new version of a paper in their library. Each
// run reads the papers inserted or changed since the last run (the store's change
// sequence), matches them against what subscribers watch, and plans one email per
// subscriber listing all their new alerts, as a row of the digest outbox: it is then
// delivered, retried and recovered exactly as a digest (src/digest/outbox.ts). The store
// records every alert planned, so each (subscriber, kind, paper, version) goes out at
// most once, ever, whichever runs overlap or crash.
//
// Never the back catalogue: a followed author's paper counts only if it reached the
// store after the follow (and is not an old paper harvested late); a saved paper's
// version only if it is newer than the version saved, or, for an entry imported without
// a version, submitted after the import. The very first run only notes where the
// papers stand.

import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { addDays, utcDay } from '../days.js';
import { senderDomain } from '../mail/message.js';
import { displayDay, type Paper } from '../papers/paper.js';
import type { AlertItem, AlertPlan, AuthorWatch, PaperChange } from '../store/alert-store.js';
import type { Store } from '../store/store.js';
import { foldName, identityOf, isSamePerson } from './people.js';
import { hiddenBy } from './rules.js';

/** Changes read per page. */
const PAGE = 2000;
/** A paper announced (or submitted) this many days before the follow may still be news: harvests run late. */
const LATE_DAYS = 2;

export interface AlertRunSummary {
  /** Papers inserted or changed since the last run. */
  changes: number;
  /** Alerts found (before those already planned are dropped). */
  alerts: number;
  /** Alert emails planned (in a dry run: that would be, at most). */
  planned: number;
  /** True when this was the first run: it only noted where the papers stand. */
  started: boolean;
  /** In a dry run: the first few emails, for a look. */
  sample: { subscriberId: number; items: { paperId: string; why: string }[] }[];
}

/** Outbox rows of alert emails are keyed `YYYY-MM-DD alerts HASH`; digests by their date alone. */
export const isAlertKey = (key: string) => /^\d{4}-\d{2}-\d{2} alerts /.test(key);

/** Names the email by its content: the same alerts planned twice make the same key, and the outbox holds one. */
export function alertKey(day: string, items: AlertItem[]): string {
  const hash = createHash('sha256').update(items.map((i) => `${i.kind}:${i.paperId}:${i.version}`).sort().join('\n')).digest('hex').slice(0, 12);
  return `${day} alerts ${hash}`;
}

export function alertMessageId(subscriberId: number, key: string, from: string): string {
  return `<alerts.${key.slice(0, 10)}.${key.slice(-12)}.${subscriberId}@${senderDomain(from)}>`;
}

interface Found extends AlertItem { why: string }

export interface AlertDeps { store: Store; config: Config; now: Date }

export async function planAlerts(deps: AlertDeps, opts: { dryRun?: boolean } = {}): Promise<AlertRunSummary> {
  const { store, now } = deps;
  const nowIso = now.toISOString();
  const summary: AlertRunSummary = { changes: 0, alerts: 0, planned: 0, started: false, sample: [] };
  let cursor = await store.alertCursor();
  if (cursor === null) {
    // Nothing before the first run is news to anyone.
    summary.started = true;
    if (!opts.dryRun) await store.moveAlertCursor((await store.contentVersion()).changeSeq, nowIso);
    return summary;
  }
  const found = new Map<number, Map<string, Found>>();
  const add = (subscriberId: number, f: Found) => {
    let mine = found.get(subscriberId);
    if (!mine) found.set(subscriberId, (mine = new Map()));
    mine.set(`${f.kind}:${f.paperId}:${f.version}`, f);
  };
  const papers = new Map<string, Paper>();
  let follows: Map<string, AuthorWatch[]> | null = null;

  for (;;) {
    const changes = await store.paperChanges(cursor, PAGE);
    if (!changes.length) break;
    summary.changes += changes.length;
    cursor = changes.at(-1)!.changeSeq;
    const changed = await store.getPapers(changes.map((c) => c.id));
    for (const p of changed) papers.set(p.id, p);
    follows ??= byName(await store.authorWatches());
    await followedAuthors(store, changes, papers, follows, add);
    for (const w of await store.savedWatches(changes.map((c) => c.id))) {
      const p = papers.get(w.paperId);
      const latest = p?.versions.at(-1);
      if (!p || !latest || latest.version <= (w.version ?? 1)) continue;
      // An entry imported without its version: only a version submitted after the import is surely new.
      if (w.version === null && !(latest.submittedAt && latest.submittedAt > w.addedAt)) continue;
      add(w.subscriberId, { kind: 'saved-version', paperId: p.id, version: latest.version, why: `New version (v${latest.version}) of a paper you saved` });
    }
    // Only the papers alerts name are kept from page to page: a bulk import changes many.
    const named = new Set([...found.values()].flatMap((m) => [...m.values()].map((f) => f.paperId)));
    for (const id of papers.keys()) if (!named.has(id)) papers.delete(id);
    if (changes.length < PAGE) break;
  }

  // Never-show rules hold in alerts too.
  const profiles = found.size ? await store.personalProfiles([...found.keys()]) : new Map();
  const day = utcDay(now);
  const plans: AlertPlan[] = [];
  for (const [subscriberId, mine] of found) {
    const rules = profiles.get(subscriberId)?.rules ?? [];
    // A new version first: it names the paper the subscriber saved.
    const items = [...mine.values()].filter((f) => !hiddenBy(rules, papers.get(f.paperId)!))
      .sort((a, b) => (a.kind === b.kind ? (a.paperId < b.paperId ? 1 : -1) : a.kind === 'saved-version' ? -1 : 1));
    if (!items.length) continue;
    summary.alerts += items.length;
    const reasons = new Map<string, string>();
    for (const i of items) if (!reasons.has(i.paperId)) reasons.set(i.paperId, i.why);
    const edition = [...reasons].map(([paperId, why]) => ({ paperId, why }));
    if (opts.dryRun) {
      summary.planned++;
      if (summary.sample.length < 20) summary.sample.push({ subscriberId, items: edition });
      continue;
    }
    const key = alertKey(day, items);
    const editionKey = createHash('sha256').update(JSON.stringify(['alerts', edition])).digest('base64url').slice(0, 32);
    const editionId = await store.saveEdition(editionKey, { windowFrom: day, windowTo: day, items: edition }, nowIso);
    plans.push({ subscriberId, key, messageId: alertMessageId(subscriberId, key, deps.config.mail.from), editionId, items: items.map(({ kind, paperId, version }) => ({ kind, paperId, version })) });
  }
  if (!opts.dryRun) {
    for (let i = 0; i < plans.length; i += 500) summary.planned += await store.planAlerts(plans.slice(i, i + 500), nowIso);
    // Moved only once everything read is planned: a crash before reads the same changes again, and the store drops what was planned.
    await store.moveAlertCursor(cursor, nowIso);
  }
  return summary;
}

function byName(watches: AuthorWatch[]): Map<string, AuthorWatch[]> {
  const out = new Map<string, AuthorWatch[]>();
  for (const w of watches) {
    const k = foldName(w.author);
    out.set(k, [...(out.get(k) ?? []), w]);
  }
  return out;
}

/** New papers (first stored after the follow) by followed people. */
async function followedAuthors(store: Store, changes: PaperChange[], papers: Map<string, Paper>, follows: Map<string, AuthorWatch[]>, add: (subscriberId: number, f: Found) => void): Promise<void> {
  if (!follows.size) return;
  const known = async (ids: string[]) => {
    const missing = ids.filter((id) => !papers.has(id));
    for (const p of missing.length ? await store.getPapers(missing) : []) papers.set(p.id, p);
    return ids.flatMap((id) => papers.get(id) ?? []);
  };
  for (const c of changes) {
    const p = papers.get(c.id);
    if (!p) continue;
    const day = displayDay(p);
    for (const name of new Set(p.authors.map((a) => foldName(a.name)))) {
      for (const w of follows.get(name) ?? []) {
        if (c.ingestedAt <= w.since || !day || day < addDays(w.since.slice(0, 10), -LATE_DAYS)) continue;
        // One of the papers that tell this person apart may be this one: it is theirs.
        const theirs = w.papers.filter((id) => id !== p.id);
        if (theirs.length && !w.papers.includes(p.id) && !isSamePerson(w.author, identityOf(w.author, await known(theirs)), p)) continue;
        // A new paper is news once, whatever versions follow (recorded as version 1).
        add(w.subscriberId, { kind: 'followed-author', paperId: p.id, version: 1, why: `By ${w.author}, whom you follow` });
      }
    }
  }
}
