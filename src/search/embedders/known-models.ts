// What Paperboy knows about popular sentence-embedding models that their folders do not
// always say: how to pool, which prefixes queries and documents need, and which Hub
// repository holds an ONNX export. Keyed by the model's short name; a model's own files
// (1_Pooling/config.json, config_sentence_transformers.json) win over this table, and
// the configuration wins over both.

export type Pooling = 'mean' | 'cls' | 'last';

export interface KnownModel {
  /** A Hub repository with an ONNX export in the layout transformers.js reads (onnx/model.onnx). */
  repo: string;
  pooling: Pooling;
  queryPrefix: string;
  documentPrefix: string;
  /** Tokens per text the model was trained with; longer texts are truncated. */
  maxTokens: number;
  license: string;
}

const BGE_QUERY = 'Represent this sentence for searching relevant passages: ';

export const KNOWN_MODELS: Record<string, KnownModel> = {
  'all-MiniLM-L6-v2': { repo: 'Xenova/all-MiniLM-L6-v2', pooling: 'mean', queryPrefix: '', documentPrefix: '', maxTokens: 256, license: 'Apache-2.0' },
  'bge-small-en-v1.5': { repo: 'Xenova/bge-small-en-v1.5', pooling: 'cls', queryPrefix: BGE_QUERY, documentPrefix: '', maxTokens: 512, license: 'MIT' },
  'bge-base-en-v1.5': { repo: 'Xenova/bge-base-en-v1.5', pooling: 'cls', queryPrefix: BGE_QUERY, documentPrefix: '', maxTokens: 512, license: 'MIT' },
  'gte-small': { repo: 'Xenova/gte-small', pooling: 'mean', queryPrefix: '', documentPrefix: '', maxTokens: 512, license: 'MIT' },
  'granite-embedding-small-english-r2': {
    repo: 'onnx-community/granite-embedding-small-english-r2-ONNX', pooling: 'cls', queryPrefix: '', documentPrefix: '', maxTokens: 8192, license: 'Apache-2.0',
  },
  'e5-small-v2': { repo: 'Xenova/e5-small-v2', pooling: 'mean', queryPrefix: 'query: ', documentPrefix: 'passage: ', maxTokens: 512, license: 'MIT' },
  // Served by Ollama and text-embeddings-inference; listed for its prefixes (HTTP provider).
  'nomic-embed-text': { repo: 'nomic-ai/nomic-embed-text-v1.5', pooling: 'mean', queryPrefix: 'search_query: ', documentPrefix: 'search_document: ', maxTokens: 2048, license: 'Apache-2.0' },
};

/**
 * The known model a name refers to: "bge-small-en-v1.5", "Xenova/bge-small-en-v1.5",
 * "BAAI/bge-small-en-v1.5", "bge-small-en-v1.5-ONNX", an Ollama tag "nomic-embed-text:latest"
 * or a pulled folder's name; case does not matter.
 */
export function findKnownModel(name: string): { key: string; model: KnownModel } | undefined {
  const base = name.split('/').pop()!.replace(/:[\w.-]+$/, '').replace(/[-_]onnx$/i, '').toLowerCase();
  for (const [key, model] of Object.entries(KNOWN_MODELS)) {
    if (key.toLowerCase() === base || model.repo.toLowerCase() === name.toLowerCase()) return { key, model };
  }
  // "nomic-embed-text-v1.5" and similar versioned names of an entry without a version.
  for (const [key, model] of Object.entries(KNOWN_MODELS)) {
    if (base.startsWith(`${key.toLowerCase()}-v`)) return { key, model };
  }
  return undefined;
}
