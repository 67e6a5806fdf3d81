// What the contract tests share: how to open a store, and papers, subscribers and plans to put in it.

import { emptyRecord, type PaperRecord } from '../../src/papers/paper.js';
import type { DigestPlan } from '../../src/store/digest-store.js';
import type { Store } from '../../src/store/store.js';
import type { Subscriber } from '../../src/store/subscriber-store.js';

export interface OpenOptions {
  /** The writer's clock (stamps such as modified_at). */
  now?: () => Date;
  /** Another connection to this store's database. */
  sameAs?: Store;
}

export async function subscriber(store: Store, email: string, at = '2026-06-01T00:00:00.000Z'): Promise<Subscriber> {
  await store.changeSubscriber({ email }, () => ({
    result: null,
    set: {
      email, status: 'active', topics: [], categories: [], topicMode: 'only', sendHour: 7, timeZone: 'UTC', frequency: 'daily', weekday: 1,
      consent: 'operator-add', createdAt: at, updatedAt: at, nextDueAt: at,
    },
  }));
  return (await store.findSubscriber(email))!;
}

export function plan(s: Subscriber, date: string, over: Partial<DigestPlan> = {}): DigestPlan {
  return { subscriberId: s.id, digestDate: date, status: 'pending', editionId: null, paperIds: [], messageId: `<digest.${date}.${s.id}@x>`, nextDueAt: `${date}T23:00:00.000Z`, ...over };
}

export function record(id: string, over: Partial<PaperRecord> = {}): PaperRecord {
  return {
    ...emptyRecord(id, `Title of ${id}`, `Abstract of ${id} about spin glasses.`),
    authors: [{ name: 'Ada Lovelace', affiliations: ['Analytical Engine Society'] }, { name: 'Alan Turing' }],
    categories: ['cs.LG', 'stat.ML'],
    versions: [{ version: 1, submittedAt: '2025-03-14T10:00:00.000Z', size: '120kb' }],
    announcedAt: '2025-03-17',
    ...over,
  };
}

export type Open = (o?: OpenOptions) => Promise<Store>;

/** Paper keys by id, as the search index sees them. */
export async function keysById(store: Store): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const d of store.searchDocuments()) out.set(d.id, d.key);
  return out;
}
