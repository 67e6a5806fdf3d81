// Reads an OpenAI-style embeddings answer, {"data": [{"index": 0, "embedding": [...]}, …]},
// strictly: one vector per text, in the texts' order, all of one length, finite numbers.
// Vectors may also come base64-encoded (little-endian float32), as encoding_format=base64 gives.

/** The vectors in input order, or what is wrong with the answer (for an error message). */
export function parseEmbeddingsAnswer(text: string, expected: number): Float32Array[] | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `something that is not JSON (${JSON.stringify(text.slice(0, 80))})`;
  }
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return 'JSON without a "data" list of embeddings';
  if (data.length !== expected) return `${data.length} embeddings for ${expected} texts`;
  const out = new Array<Float32Array | undefined>(expected);
  for (const [i, item] of data.entries()) {
    const { index, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
    const at = index === undefined ? i : index;
    if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at >= expected || out[at]) return `a wrong or repeated "index" (${JSON.stringify(index)})`;
    const vector = toVector(embedding);
    if (typeof vector === 'string') return `an embedding that is ${vector} (item ${at})`;
    out[at] = vector;
  }
  const width = out[0]!.length;
  const odd = out.findIndex((v) => v!.length !== width);
  if (odd >= 0) return `vectors of different lengths in one answer (${width} and ${out[odd]!.length})`;
  return out as Float32Array[];
}

function toVector(embedding: unknown): Float32Array | string {
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    if (bytes.length === 0 || bytes.length % 4 !== 0) return 'not base64 float32';
    const v = new Float32Array(bytes.length / 4);
    for (let i = 0; i < v.length; i++) v[i] = bytes.readFloatLE(i * 4);
    return v.every(Number.isFinite) ? v : 'not finite numbers';
  }
  if (!Array.isArray(embedding) || embedding.length === 0) return 'missing or empty';
  if (!embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) return 'not a list of finite numbers';
  return Float32Array.from(embedding as number[]);
}
