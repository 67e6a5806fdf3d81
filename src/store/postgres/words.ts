// A paper's words for PostgreSQL's full-text search: text folded as SQLite's FTS5
// tokenizer folds it (unicode61 with diacritics removed), then, on the server,
// paper_words() (migration 003) parses and stems it into one weighted tsvector.

/** Text as the words the tokenizer of either engine sees, separated by spaces. */
export function foldText(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The three arguments of paper_words(), folded. */
export const paperWordsArgs = (title: string, authorNames: string, abstract: string): [string, string, string] =>
  [foldText(title), foldText(authorNames), foldText(abstract)];
