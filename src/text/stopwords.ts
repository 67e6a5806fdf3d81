// A small English stop-word list. Search drops these from queries because they occur in
// nearly every abstract and so narrow nothing while making FTS5 do the most work; other
// modules (e.g. term weighting, snippets) can share the same list.

export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'about', 'above', 'after', 'again', 'against', 'all', 'also', 'am', 'an', 'and',
  'any', 'are', 'as', 'at', 'be', 'because', 'been', 'before', 'being', 'below', 'between',
  'both', 'but', 'by', 'can', 'could', 'did', 'do', 'does', 'doing', 'down', 'during',
  'each', 'few', 'for', 'from', 'further', 'had', 'has', 'have', 'having', 'he', 'her',
  'here', 'hers', 'him', 'his', 'how', 'however', 'i', 'if', 'in', 'into', 'is', 'it',
  'its', 'itself', 'just', 'may', 'me', 'might', 'more', 'most', 'must', 'my', 'no',
  'nor', 'not', 'of', 'off', 'on', 'once', 'only', 'or', 'other', 'our', 'ours', 'out',
  'over', 'own', 'same', 'she', 'should', 'so', 'some', 'such', 'than', 'that', 'the',
  'their', 'them', 'then', 'there', 'these', 'they', 'this', 'those', 'through', 'thus',
  'to', 'too', 'under', 'until', 'up', 'upon', 'us', 'very', 'via', 'was', 'we', 'were',
  'what', 'when', 'where', 'whether', 'which', 'while', 'who', 'whom', 'why', 'will',
  'with', 'within', 'without', 'would', 'yet', 'you', 'your',
]);

/** True for a lower-case word on the list (callers lowercase first). */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
