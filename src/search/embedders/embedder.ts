// The embedder interface: text → unit-length vectors, so that a dot product is a cosine.
// Providers: the built-in model trained from the corpus (works offline, no download),
// a local ONNX model folder (transformers.js), and an OpenAI-compatible HTTP endpoint.

export interface Embedder {
  /**
   * Names the model and everything that changes its vectors (e.g. "onnx:bge-small-en-v1.5",
   * "http:nomic-embed-text@ollama", "builtin:<hash>"). Stored with every vector, so that
   * vectors of two models are never mixed.
   */
  readonly name: string;
  readonly dimensions: number;
  /** Vectors of papers (title and abstract), one per text, each of unit length. */
  embedDocuments(texts: string[], opts?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  /** The vector of a search query (some models prefix queries differently from documents). */
  embedQuery(text: string, opts?: { signal?: AbortSignal }): Promise<Float32Array>;
  /** Frees what the provider holds (sessions, sockets). */
  close?(): Promise<void>;
}

/** The text of a paper an embedder sees: title, then abstract. */
export function documentText(title: string, abstract: string): string {
  return `${title.trim()}. ${abstract.trim()}`;
}

/** Scales a vector to unit length in place (a zero vector stays zero) and returns it. */
export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < v.length; i++) v[i]! *= inv;
  }
  return v;
}
