// What a store keeps of one subscriber's own use of Paperboy: feedback on papers (more
// or less like this), a library (saved and imported papers), rules (followed authors,
// with the papers that tell them from namesakes; saved searches; never-show words,
// categories and authors) and the single-use feedback links already
// used. Every change is one atomic step; what a change means is decided in TypeScript
// (src/personal/), the store only applies it.

export type FeedbackKind = 'more' | 'less';

export interface Feedback {
  paperId: string;
  kind: FeedbackKind;
  at: string;
}

/** A CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html), as much as Paperboy reads of it. */
export interface CslItem {
  id: string;
  type: string;
  title?: string;
  author?: { family?: string; given?: string; literal?: string }[];
  issued?: { 'date-parts'?: (number | string)[][] };
  abstract?: string;
  DOI?: string;
  URL?: string;
  'container-title'?: string;
  number?: string;
  publisher?: string;
  note?: string;
  [field: string]: unknown;
}

export interface LibraryItem {
  /** `arxiv:ID`, `doi:DOI` or `title:…`: one entry per work. */
  key: string;
  paperId: string | null;
  item: CslItem;
  source: 'save' | 'import';
  addedAt: string;
}

/** `follow-search`: a saved search (its query, as typed) whose new matches come into the digest. */
export type RuleKind = 'follow-author' | 'follow-search' | 'hide-word' | 'hide-category' | 'hide-author';
export const RULE_KINDS: readonly RuleKind[] = ['follow-author', 'follow-search', 'hide-word', 'hide-category', 'hide-author'];

export interface Rule {
  kind: RuleKind;
  value: string;
  at: string;
  /**
   * Only for a followed author: papers that are this person's (the one followed from,
   * those picked among namesakes), which tell them apart from others of the same name.
   * Absent: the name alone.
   */
  papers?: string[];
}

export interface PersonalProfile {
  feedback: Feedback[];
  /** Newest first. */
  library: LibraryItem[];
  rules: Rule[];
}

export const EMPTY_PROFILE: PersonalProfile = { feedback: [], library: [], rules: [] };

/** One subscriber's change, applied whole or not at all. */
export interface PersonalChange {
  /** A single-use link: the change is refused (false, nothing written) if it was used before, else it is marked used. */
  link?: string;
  /** A kind sets the paper's feedback (replacing the other kind); null removes it. */
  feedback?: { paperId: string; kind: FeedbackKind | null }[];
  /** Entries added (replacing one with the same key) and keys removed. */
  library?: { add?: Omit<LibraryItem, 'addedAt'>[]; remove?: string[] };
  /** Removed first, then added; an added follow's papers join those it has. */
  rules?: { add?: Omit<Rule, 'at'>[]; remove?: Omit<Rule, 'at' | 'papers'>[] };
}

export interface SentDigest {
  date: string;
  status: string;
  paperIds: string[];
  sentAt: string | null;
}

export interface PersonalStore {
  /** Applies a change at `at`; false only when its single-use link was already used. Unknown subscribers are refused (store_failure is not raised: false). */
  changePersonal(subscriberId: number, change: PersonalChange, at: string): Promise<boolean>;
  /** Profiles of these subscribers; those with nothing recorded are absent. */
  personalProfiles(subscriberIds: number[]): Promise<Map<number, PersonalProfile>>;
  /** Every digest recorded for the subscriber, newest first (for their data export). */
  digestsOf(subscriberId: number): Promise<SentDigest[]>;
}
