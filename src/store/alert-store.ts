// What alert emails need from a store (src/personal/alerts.ts): which alerts each
// subscriber turned off, who watches what (followed authors, saved papers), the papers
// changed since the last alert run, and a record of every alert planned, so that each
// (subscriber, alert kind, paper, version) goes out at most once, ever. An alert email
// is a row of the digest outbox (digest-store.ts), keyed `YYYY-MM-DD alerts HASH`, so it
// is claimed, sent, retried and recovered exactly as a digest is.

/** `followed-author`: a new paper by someone the subscriber follows; `saved-version`: a new version of a paper in their library. */
export type AlertKind = 'followed-author' | 'saved-version';
export const ALERT_KINDS: readonly AlertKind[] = ['followed-author', 'saved-version'];

/** Which alerts a subscriber gets: both are on unless turned off. */
export type AlertSettings = Record<AlertKind, boolean>;

/** A paper inserted or changed, in the order of the store's change sequence (ContentVersion.changeSeq). */
export interface PaperChange {
  id: string;
  changeSeq: number;
  /** When the paper first reached this store. */
  ingestedAt: string;
}

/** A followed author of a subscriber who wants those alerts. */
export interface AuthorWatch {
  subscriberId: number;
  author: string;
  /** When they followed: only papers that reached the store later are news. */
  since: string;
  /** Papers that tell this person from namesakes (src/personal/people.ts); empty: the name alone. */
  papers: string[];
}

/** A library entry of a subscriber who wants those alerts. */
export interface SavedWatch {
  subscriberId: number;
  paperId: string;
  /** The version saved, when the entry says (saved from the site); null for most imports. */
  version: number | null;
  addedAt: string;
}

/** The version a library entry names (CSL-JSON keeps it as text), or null. */
export function versionOf(v: unknown): number | null {
  const n = Number(v);
  return v !== null && v !== undefined && v !== '' && Number.isInteger(n) && n >= 1 ? n : null;
}

export interface AlertItem { kind: AlertKind; paperId: string; version: number }

/** One subscriber's alert email, planned: the outbox row to create and the alerts it carries. */
export interface AlertPlan {
  subscriberId: number;
  /** The outbox row's key (its digest_date column): `YYYY-MM-DD alerts HASH`. */
  key: string;
  messageId: string;
  /** The edition holding each paper's one-line reason. */
  editionId: number;
  items: AlertItem[];
}

export interface AlertStore {
  alertSettings(subscriberId: number): Promise<AlertSettings>;
  /** Turns alert kinds on or off; false for an unknown subscriber. */
  setAlertSettings(subscriberId: number, settings: Partial<AlertSettings>, at: string): Promise<boolean>;
  /** Papers inserted or changed after change number `afterSeq`, oldest change first. */
  paperChanges(afterSeq: number, limit: number): Promise<PaperChange[]>;
  /** Every followed author of active subscribers with `followed-author` alerts on. */
  authorWatches(): Promise<AuthorWatch[]>;
  /** Library entries of these papers, of active subscribers with `saved-version` alerts on. */
  savedWatches(paperIds: string[]): Promise<SavedWatch[]>;
  /**
   * For each plan, in one transaction: when its subscriber is active and no outbox row has
   * its key, records its alerts not recorded before and, if any, creates a pending outbox
   * row with their papers. Returns the rows created. Alerts recorded once are never again
   * planned, whatever becomes of their row.
   */
  planAlerts(plans: AlertPlan[], now: string): Promise<number>;
  /** The change number the last alert run read up to; null before the first run. */
  alertCursor(): Promise<number | null>;
  /** Moves the cursor forward (never back). */
  moveAlertCursor(changeSeq: number, now: string): Promise<void>;
}
