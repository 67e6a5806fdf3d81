// Retrieval quality measures over ranked id lists and graded relevance judgements
// (qrels), as BEIR and TREC define them.

export type Qrels = Map<string, Map<string, number>>;

/** nDCG@k with graded gains (2^rel - 1) and the standard log2 discount. */
export function ndcgAt(ranked: string[], relevant: Map<string, number>, k = 10): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    const rel = relevant.get(id) ?? 0;
    if (rel > 0) dcg += (2 ** rel - 1) / Math.log2(i + 2);
  });
  const ideal = [...relevant.values()].filter((r) => r > 0).sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, rel, i) => sum + (2 ** rel - 1) / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

export function recallAt(ranked: string[], relevant: Map<string, number>, k = 100): number {
  const wanted = [...relevant].filter(([, r]) => r > 0).map(([id]) => id);
  if (wanted.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return wanted.filter((id) => top.has(id)).length / wanted.length;
}

export function mrrAt(ranked: string[], relevant: Map<string, number>, k = 10): number {
  const i = ranked.slice(0, k).findIndex((id) => (relevant.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

export interface EvalSummary {
  queries: number;
  ndcg10: number;
  recall100: number;
  mrr10: number;
}

/** Averages the three measures over every judged query (unanswered ones count as 0). */
export function summarise(runs: Map<string, string[]>, qrels: Qrels): EvalSummary {
  let ndcg = 0, recall = 0, mrr = 0;
  for (const [qid, relevant] of qrels) {
    const ranked = runs.get(qid) ?? [];
    ndcg += ndcgAt(ranked, relevant, 10);
    recall += recallAt(ranked, relevant, 100);
    mrr += mrrAt(ranked, relevant, 10);
  }
  const n = qrels.size || 1;
  return { queries: qrels.size, ndcg10: ndcg / n, recall100: recall / n, mrr10: mrr / n };
}
