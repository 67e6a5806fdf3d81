// The Store interface: the only way the rest of Paperboy reads or writes data. It is
// asynchronous so that a PostgreSQL engine can sit behind it as well as SQLite.

import type { Paper, PaperRecord, Signal } from '../papers/paper.js';
import type { TextConstraints } from '../text/constraints.js';
import type { ExtrasStore } from './extras-store.js';
import type { PersonalStore } from './personal-store.js';
import type { AlertStore } from './alert-store.js';
import type { LeaseStore } from './lease-store.js';
import type { DigestStore } from './digest-store.js';
import type { SubscriberStore } from './subscriber-store.js';
import type { TrendingStore } from './trending-store.js';
import type { VectorStore } from './vector-store.js';

export type { TextConstraints } from '../text/constraints.js';

export interface IngestBatch {
  papers?: PaperRecord[];
  signals?: Signal[];
  /** Saved in the same transaction as the papers, so a checkpoint never runs ahead of the data. */
  harvestState?: HarvestState;
}

export interface IngestResult {
  inserted: number;
  updated: number;
  unchanged: number;
  signalsAdded: number;
}

/** Where an incremental harvest stands; one row per harvest name (e.g. "oai:arXivRaw:cs"). */
export interface HarvestState {
  name: string;
  /** `from` for the next harvest: the responseDate of the last completed one (YYYY-MM-DD). */
  nextFrom: string | null;
  /** Set while a harvest is in progress: the token for the next page. */
  resumptionToken: string | null;
  /** The `from` the harvest in progress started with, to restart it if its token expires. */
  currentFrom: string | null;
  /** responseDate of the first page of the harvest in progress. */
  currentResponseDate: string | null;
  pages: number;
  records: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  updatedAt: string;
}

export interface ListOptions {
  limit?: number;
  offset?: number;
  category?: string;
}

export interface StoreStats {
  papers: number;
  versions: number;
  signals: number;
  byPrimaryCategory: { category: string; papers: number }[];
  oldestSubmitted: string | null;
  newestSubmitted: string | null;
  newestAnnounced: string | null;
  harvests: HarvestState[];
  sizeBytes: number | null;
}

/** Every engine also keeps subscribers (subscriber-store.ts), the digest's editions and outbox (digest-store.ts), trending's features (trending-store.ts), papers' extras (extras-store.ts), paper vectors (vector-store.ts), leases of scheduled work (lease-store.ts), what each subscriber teaches the digest (personal-store.ts) and their alert emails (alert-store.ts). */
export interface Store extends SubscriberStore, DigestStore, TrendingStore, ExtrasStore, VectorStore, LeaseStore, PersonalStore, AlertStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Applies pending numbered migrations. Safe to call on every start. */
  migrate(): Promise<void>;
  /** Writes papers (merged with what is stored), signals and a checkpoint atomically. */
  ingest(batch: IngestBatch): Promise<IngestResult>;
  getPaper(id: string): Promise<Paper | null>;
  /** Newest first (by announcement, then submission). */
  listPapers(opts?: ListOptions): Promise<Paper[]>;
  signalsFor(paperId: string): Promise<Signal[]>;
  /**
   * Papers for the search index by ascending key; or, given a change number, those
   * inserted or changed after it, in the order they changed (ContentVersion.changeSeq).
   */
  searchDocuments(opts?: { changedAfter?: number }): AsyncIterable<SearchDocument>;
  /**
   * What the papers are now. With `cached`, for a search that asks before every query, an
   * engine may answer with the version it last read while it knows of no change since:
   * this store's own changes at once, another process's within seconds (PostgreSQL is told
   * at their commit, content-version.ts). Without it, the version is read.
   */
  contentVersion(opts?: { cached?: boolean }): Promise<ContentVersion>;
  /**
   * The papers (by key) that meet text conditions the word index cannot check: every
   * positive one, and none of the excluded (effectiveConstraints, src/text/constraints.ts,
   * says which count). Of the given papers; or, without them, of every paper. Search asks
   * about the papers a page would show first, so the cost follows the page rather than how
   * many papers match (src/search/store-check.ts).
   */
  papersMeeting(c: TextConstraints, keys?: readonly number[]): Promise<Set<number>>;
  /**
   * What papersMeeting costs for one given paper, in papers of an answer about every paper
   * (which passes over the papers with the conditions' words). Search asks about its best
   * papers only when enough have the words to make that cheaper (src/search/store-check.ts).
   */
  readonly givenPaperCost: number;
  /** Papers by id, in the order asked, skipping unknown ids. */
  getPapers(ids: string[]): Promise<Paper[]>;
  getHarvestState(name: string): Promise<HarvestState | null>;
  saveHarvestState(state: HarvestState): Promise<void>;
  stats(): Promise<StoreStats>;
  /** Records a visitor's upvote; false when that visitor had already voted (a no-op). */
  addVote(paperId: string, visitor: string): Promise<boolean>;
  /** Withdraws a visitor's upvote; false when there was none. */
  removeVote(paperId: string, visitor: string): Promise<boolean>;
  /** A number that moves whenever a vote is cast or withdrawn, by any process on this database (compare two readings). */
  voteChanges(): Promise<number>;
  /** Upvote counts of the given papers, and whether `visitor` voted for each. */
  voteSummaries(paperIds: string[], visitor: string | null): Promise<Map<string, VoteSummary>>;
  /** A random secret by name, created on first use and then stable across restarts and processes. */
  secret(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface VoteSummary {
  /** Upvotes cast on this site. */
  local: number;
  /** The latest upvote count imported from elsewhere (0 when none). */
  imported: number;
  /** The visitor asked about has upvoted the paper here. */
  voted: boolean;
}

/** Marks around matched words in snippets; private-use characters, so they survive escaping. */
export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_END = '\uE001';

/** What the search index needs of a paper. */
export interface SearchDocument {
  /** A stable integer key for the paper, ascending in insertion order. */
  key: number;
  id: string;
  title: string;
  authorNames: string;
  abstract: string;
  /** What a source adds: its one-sentence summary and keywords (Hugging Face's ai_summary, ai_keywords), searchable with the rest. */
  summary?: string;
  /** The paper's date (announced, else submitted) as YYYYMMDD, 0 when unknown. */
  day: number;
  categories: string[];
}

/** Changes whenever papers are added or changed; cheap to read. */
export interface ContentVersion {
  /** The highest paper key (keys only grow). */
  maxKey: number | null;
  /** The latest change's time by the writer's clock: for people, not for finding changes (clocks of writers disagree). */
  lastModified: string | null;
  /**
   * The number of the latest change to papers, assigned by the database in the writing
   * transaction (0 when there are none). Every later commit has higher numbers, so
   * `searchDocuments({ changedAfter })` with a number once read finds every later change.
   */
  changeSeq: number;
}
