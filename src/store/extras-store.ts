// What a store keeps of a paper beyond arXiv's metadata, for readers: a short machine
// summary, keywords, the project page and the code repositories it links to.

export interface PaperExtras {
  paperId: string;
  aiSummary: string | null;
  /** Empty when the source gave none. */
  aiKeywords: string[];
  projectPage: string | null;
  /** Where this was seen: hf-daily, … */
  source: string;
}

/** Everything known for one paper, repositories included ("owner/name", the main one first). */
export interface PaperLinks {
  aiSummary: string | null;
  aiKeywords: string[];
  projectPage: string | null;
  repos: string[];
}

export const NO_LINKS: PaperLinks = { aiSummary: null, aiKeywords: [], projectPage: null, repos: [] };

export interface ExtrasStore {
  /** Saves extras; a missing field never erases a known one; unknown papers are skipped. Returns rows written. */
  saveExtras(extras: PaperExtras[]): Promise<number>;
  /** Extras and repositories of these papers; papers with neither are absent from the map. */
  linksOf(paperIds: string[]): Promise<Map<string, PaperLinks>>;
}
