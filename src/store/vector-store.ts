// What the store keeps for search by meaning: paper vectors of external embedding models.

export interface StoredVector {
  /** The paper's key (SearchDocument.key). */
  key: number;
  /** A hash of the text that was embedded (see semantic/searcher.ts): a different one means the paper changed. */
  textHash: number;
  vector: Float32Array;
}

export interface VectorStore {
  /** One model's vectors by ascending paper key. */
  paperVectors(model: string): AsyncIterable<StoredVector>;
  /** Adds or replaces vectors of one model, atomically. */
  savePaperVectors(model: string, vectors: StoredVector[]): Promise<void>;
  /** Every model with stored vectors, and how many papers each covers. */
  paperVectorModels(): Promise<{ model: string; papers: number }[]>;
  /** Deletes the vectors of every other model; returns how many were deleted. */
  dropPaperVectorsExcept(model: string): Promise<number>;
}
