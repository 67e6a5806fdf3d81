// One-click feedback from the digest: "more like this", "less like this", "save". A
// link names its subscriber, paper, action and the digest's date, signed and expiring
// (subscriptions/links.ts). Opening it changes nothing: mail scanners fetch links, so
// the page it opens asks for a button press (a POST) before anything is recorded. Each
// link records once; undo is always possible with it, or from the site.

import { parseArxivId } from '../papers/arxiv-id.js';
import type { Paper } from '../papers/paper.js';
import type { PersonalChange, PersonalProfile } from '../store/personal-store.js';
import type { Store } from '../store/store.js';
import type { Links } from '../subscriptions/links.js';
import type { LinkResult } from '../subscriptions/service.js';
import { cslOf } from './citation/csl.js';

export type FeedbackAction = 'more' | 'less' | 'save';
export const FEEDBACK_ACTIONS: readonly FeedbackAction[] = ['more', 'less', 'save'];

export const isFeedbackAction = (x: unknown): x is FeedbackAction => FEEDBACK_ACTIONS.includes(x as FeedbackAction);

export interface FeedbackLink { subscriberId: number; paperId: string; action: FeedbackAction; date: string }

/** Checks a link's parts; changes nothing. */
export async function checkFeedbackLink(links: Links, q: { a?: string; p?: string; t?: string }, now: Date): Promise<LinkResult<FeedbackLink>> {
  const id = q.p ? parseArxivId(q.p)?.id : undefined;
  if (!isFeedbackAction(q.a) || !id || id !== q.p) return { ok: false, reason: 'malformed' };
  const t = await links.verify(`feedback:${q.a}:${id}`, q.t, now);
  if (!t.ok) return t;
  const d = t.claims.nonce;
  if (!/^\d{8}$/.test(d)) return { ok: false, reason: 'forged' };
  return { ok: true, value: { subscriberId: t.claims.subscriberId, paperId: id, action: q.a, date: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` } };
}

/** What an action (or its undoing) changes for one paper. */
export function feedbackChange(action: FeedbackAction, paper: Paper, undo = false): PersonalChange {
  if (action === 'save') {
    const key = `arxiv:${paper.id}`;
    return undo ? { library: { remove: [key] } } : { library: { add: [{ key, paperId: paper.id, item: cslOf(paper), source: 'save' }] } };
  }
  return { feedback: [{ paperId: paper.id, kind: undo ? null : action }] };
}

export type Recorded = 'recorded' | 'used' | 'unknown';

/** Records a link's feedback once: a second use is refused and changes nothing. */
export async function recordFromLink(store: Store, link: FeedbackLink, paper: Paper, now: Date): Promise<Recorded> {
  const change = { link: `${link.action}:${link.paperId}:${link.date}`, ...feedbackChange(link.action, paper) };
  if (await store.changePersonal(link.subscriberId, change, now.toISOString())) return 'recorded';
  return (await store.getSubscriber(link.subscriberId)) ? 'used' : 'unknown';
}

/** The sentence the confirmation page shows under "what changes". */
export function whatChanges(action: FeedbackAction, profile: PersonalProfile, undone = false): string {
  const liked = profile.feedback.filter((f) => f.kind === 'more').length + profile.library.length;
  const disliked = profile.feedback.filter((f) => f.kind === 'less').length;
  const basis = `Your digest now learns from ${liked} ${liked === 1 ? 'paper' : 'papers'} you liked or saved and ${disliked} you marked “less like this”.`;
  if (undone) return `Undone: this paper no longer counts. ${basis}`;
  if (action === 'more') return `Papers like this one now rank higher in your next digests, even a little beyond your topics, each saying which paper it is like. ${basis}`;
  if (action === 'less') return `Papers like this one now rank lower in your next digests, and this one will not be shown again. ${basis}`;
  return `It is in your library, and papers like it now rank higher in your next digests. ${basis}`;
}
