// Category lists as sources write them. Most give arXiv categories one per entry
// (`["cs.CV", "cs.AI"]`) or space-separated (the Kaggle snapshot: `"cs.CV cs.AI"`), but
// some entries carry a paper's MSC or ACM classes as free text: `"68U10, 90C26"`,
// `"I.2.7; I.2.6"`, `"68T50 (Primary) 68T07, 68Q32 (Secondary)"`, `"68T45 (Machine
// learning)"`. The store keeps categories space-separated, so such an entry came back
// split and every re-import saw a change. Here each entry is read once into its codes:
// arXiv categories, MSC and ACM classes; the words around them (descriptions,
// "Primary", "N/A") are not categories and are left out.

/** arXiv's archives, current and retired: a category is one of them, or one with a subject (`cs.CV`). */
const ARCHIVES = new Set([
  'astro-ph', 'cond-mat', 'cs', 'econ', 'eess', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th', 'math', 'math-ph',
  'nlin', 'nucl-ex', 'nucl-th', 'physics', 'q-bio', 'q-fin', 'quant-ph', 'stat',
  'acc-phys', 'adap-org', 'alg-geom', 'ao-sci', 'atom-ph', 'bayes-an', 'chao-dyn', 'chem-ph', 'cmp-lg', 'comp-gas',
  'dg-ga', 'funct-an', 'mtrl-th', 'patt-sol', 'plasm-ph', 'q-alg', 'solv-int', 'supr-con',
]);
const SUBJECT = /^[A-Za-z][A-Za-z-]{0,19}$/;
/** MSC 2020: `68`, `68T`, `68-XX`, `68T05`, `68Txx`. */
const MSC = /^\d{2}(?:[A-Z-](?:\d{2}|xx|XX)?)?$/;
/** ACM 1998: `I.2`, `I.2.7`, `I.4.m`, `F.2.2`. */
const ACM = /^[A-K]\.(?:\d{1,2}|m)(?:\.(?:\d{1,2}|m))?$/;

export const MAX_CATEGORIES = 50;

export function isCategoryCode(token: string): boolean {
  if (MSC.test(token) || ACM.test(token)) return true;
  const dot = token.indexOf('.');
  return dot < 0 ? ARCHIVES.has(token) : ARCHIVES.has(token.slice(0, dot)) && SUBJECT.test(token.slice(dot + 1));
}

/** The codes in order of first appearance (primary first), at most MAX_CATEGORIES. */
export function parseCategories(entries: readonly string[]): string[] {
  const out = new Set<string>();
  for (const entry of entries) {
    for (const raw of entry.split(/[^A-Za-z0-9.-]+/)) {
      const token = raw.replace(/^[.-]+|[.-]+$/g, '');
      if (token && isCategoryCode(token)) out.add(token);
      if (out.size === MAX_CATEGORIES) return [...out];
    }
  }
  return [...out];
}
