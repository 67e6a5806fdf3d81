// What the digest needs from a store: shared editions and the outbox, a row per
// (subscriber, digest date) created before anything is sent. Every method is one atomic
// step (a transaction in either engine): never two copies of a day, and never a digest
// for someone who no longer wants it, are promises of these state transitions.

import type { Subscriber, SubscriberStatus } from './subscriber-store.js';

export type DigestStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'superseded' | 'cancelled';

export interface EditionItem {
  paperId: string;
  /** One line on why the paper is in the digest. */
  why: string;
}

export interface Edition {
  id: number;
  windowFrom: string;
  windowTo: string;
  items: EditionItem[];
}

/** A digest decided by the planner, to be recorded before anything is sent. */
export interface DigestPlan {
  subscriberId: number;
  digestDate: string;
  /** `skipped` records a day with nothing new, so it is not planned again. */
  status: 'pending' | 'skipped';
  editionId: number | null;
  paperIds: string[];
  messageId: string;
  /** The subscriber's next slot after this one. */
  nextDueAt: string;
}

export interface OutboxRow {
  id: number;
  subscriberId: number;
  digestDate: string;
  status: DigestStatus;
  editionId: number | null;
  paperIds: string[];
  messageId: string;
  attempts: number;
  nextAttemptAt: string;
  /** Attempts that may have delivered it already (its sender died, or its connection was lost after handing it over): a copy may arrive twice. */
  recovered: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export type DeliveryOutcome =
  | { kind: 'sent'; response: string }
  /**
   * A temporary failure: try again at `nextAttemptAt`. `inDoubt`: the server may have
   * accepted this attempt (connection lost after the message was handed over), so the
   * next copy is flagged like a recovered one.
   */
  | { kind: 'retry'; error: string; nextAttemptAt: string; inDoubt?: boolean }
  /** Given up; `bounce` counts it against the address (a 5xx for that recipient). */
  | { kind: 'failed'; error: string; bounce: boolean; bounceThreshold: number };

export interface SubscriptionStats {
  subscribers: Record<SubscriberStatus, number>;
  /** Digests by status, for the most recent digest dates (newest first). */
  digests: { date: string; counts: Partial<Record<DigestStatus, number>> }[];
}

export interface DigestStore {
  /** Stores an edition, or finds the identical one already stored (`key` names its content). */
  saveEdition(key: string, edition: Omit<Edition, 'id'>, now: string): Promise<number>;
  getEdition(id: number): Promise<Edition | null>;
  /** Papers in digests sent (or being sent) to these subscribers for dates on or after `since`. */
  recentPapers(subscriberIds: number[], since: string): Promise<Map<number, Set<string>>>;
  /**
   * Records planned digests: a row per (subscriber, date) unless one exists, superseding
   * older undelivered ones, and moves each subscriber to its next slot. Returns the rows
   * created (plans for a subscriber no longer active, or a date already planned, create none).
   */
  planDigests(plans: DigestPlan[], now: string): Promise<number>;
  /** Moves active subscribers' next slot without planning anything (their slot's date was already planned). */
  rescheduleSubscribers(items: { subscriberId: number; nextDueAt: string }[], now: string): Promise<void>;
  /** Pending digests due at `now`, oldest first. */
  readyDigests(now: string, limit: number): Promise<number[]>;
  /**
   * Marks a pending digest as being sent by `owner` until `leaseUntil` and returns it
   * with its subscriber; null when it is not pending (taken, done) or its subscriber no
   * longer wants mail (it is then cancelled).
   */
  claimDigest(id: number, owner: string, leaseUntil: string, now: string): Promise<{ row: OutboxRow; subscriber: Subscriber } | null>;
  /** Records how a delivery attempt ended, with its effect on the subscriber (bounces). */
  finishDigest(id: number, outcome: DeliveryOutcome, now: string): Promise<void>;
  /**
   * Digests left `sending` whose sender is gone (`orphaned` decides from the lease's owner
   * and whether it has run out) go back to pending, flagged as recovered. Returns how many.
   */
  recoverDigests(now: string, orphaned: (owner: string | null, leaseExpired: boolean) => boolean): Promise<number>;
  getDigest(subscriberId: number, digestDate: string): Promise<OutboxRow | null>;
  /** Forgets finished digests recorded before `before` (an ISO time) and editions no digest uses. */
  pruneDigests(before: string): Promise<number>;
  subscriptionStats(recentDates?: number): Promise<SubscriptionStats>;
}
