// The Store interface: the only way the rest of Paperboy reads or writes data. It is
// asynchronous so that a PostgreSQL engine can sit behind it as well as SQLite.

import type { Paper, PaperRecord, Signal } from '../papers/paper.js';

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

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** Applies pending numbered migrations. Safe to call on every start. */
  migrate(): Promise<void>;
  /** Writes papers (merged with what is stored), signals and a checkpoint atomically. */
  ingest(batch: IngestBatch): Promise<IngestResult>;
  getPaper(id: string): Promise<Paper | null>;
  /** Newest first (by announcement, then submission). */
  listPapers(opts?: ListOptions): Promise<Paper[]>;
  signalsFor(paperId: string): Promise<Signal[]>;
  getHarvestState(name: string): Promise<HarvestState | null>;
  saveHarvestState(state: HarvestState): Promise<void>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
