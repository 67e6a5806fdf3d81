// What subscriptions need from a store: subscribers and their consent. Every method is
// one atomic step (a transaction in either engine), because the promise of the digest —
// no mail without consent — is made by these state transitions, not by the code around them.

export type SubscriberStatus = 'pending' | 'active' | 'paused' | 'unsubscribed' | 'bouncing';
export type Frequency = 'daily' | 'weekly';
/** `only`: papers matching the topics; `boost`: those first, then the rest of what is trending. */
export type TopicMode = 'only' | 'boost';
export type Consent = 'double-opt-in' | 'operator-add' | 'operator-import';

/** What a subscriber chooses (parsed and checked by src/subscriptions/preferences.ts). */
export interface SubscriberPreferences {
  topics: string[];
  categories: string[];
  topicMode: TopicMode;
  sendHour: number;
  timeZone: string;
  frequency: Frequency;
  /** Weekly digests go out on this day (0 = Sunday) in the subscriber's zone. */
  weekday: number;
}

export interface Subscriber extends SubscriberPreferences {
  id: number;
  email: string;
  status: SubscriberStatus;
  consent: Consent;
  confirmNonce: string | null;
  confirmExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
  nextDueAt: string | null;
  lastDigestDate: string | null;
  lastSentAt: string | null;
  bounceCount: number;
  noticeDay: string | null;
  noticeCount: number;
}

/** The fields a change may set; a change to a missing subscriber must give the required ones. */
export type SubscriberFields = Partial<Omit<Subscriber, 'id'>>;

/** What a decision about one subscriber does: insert or update these fields, delete, or nothing. */
export type SubscriberChange<T> = { result: T; set?: SubscriberFields; remove?: boolean };

export interface SubscriberStore {
  getSubscriber(id: number): Promise<Subscriber | null>;
  findSubscriber(email: string): Promise<Subscriber | null>;
  /**
   * Reads the subscriber (null when there is none), lets `decide` choose a change and
   * applies it, all in one transaction: the decision always sees the latest state.
   */
  changeSubscriber<T>(key: { email: string } | { id: number }, decide: (current: Subscriber | null) => SubscriberChange<T>): Promise<T>;
  /** By ascending id, after `afterId`. */
  listSubscribers(opts: { status?: SubscriberStatus; afterId?: number; limit: number }): Promise<Subscriber[]>;
  /** Active subscribers whose next slot is at or before `now`, by ascending id after `afterId`. */
  dueSubscribers(now: string, afterId: number, limit: number): Promise<Subscriber[]>;
  /** Drops unconfirmed subscriptions whose link has expired; returns how many. */
  expireUnconfirmed(now: string): Promise<number>;
}
