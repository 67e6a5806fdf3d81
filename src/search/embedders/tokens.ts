// Between texts and vectors for the ONNX provider: a tokenized, padded and truncated batch
// in, one pooled unit vector per text out. Kept apart from the model loading so that the
// arithmetic reads on its own.

import { normalize } from './embedder.js';
import type { Pooling } from './known-models.js';

/** The slice of transformers.js this module uses (loaded lazily: it brings a native runtime). */
export interface Tensor { data: Float32Array | BigInt64Array; dims: number[] }
export interface Tokenizer {
  (texts: string[], o: { padding: false; truncation: false; return_tensor: false }): Record<string, number[][]>;
  pad_token_id?: number | null;
  padding_side: string;
  all_special_ids: number[];
}
export interface Model { (inputs: Record<string, Tensor>): Promise<Record<string, Tensor>>; dispose(): Promise<unknown> }
export type TensorClass = new (type: 'int64', data: BigInt64Array, dims: number[]) => Tensor;

/** A token is rarely longer than this many characters: text beyond maxTokens × this is never read. */
const MAX_CHARS_PER_TOKEN = 16;

/**
 * Tokenizes and pads a batch. Truncation is done here rather than by transformers.js,
 * which cuts the end off and with it the closing special token ([SEP], </s>) that the
 * model was trained to see: like the Python tokenizers, keep it and cut the text instead.
 */
export function encode(tokenizer: Tokenizer, TensorCtor: TensorClass, texts: string[], maxTokens: number): Record<string, Tensor> & { attention_mask: Tensor } {
  const enc = tokenizer(texts.map((t) => t.slice(0, maxTokens * MAX_CHARS_PER_TOKEN)), { padding: false, truncation: false, return_tensor: false });
  const special = new Set(tokenizer.all_special_ids);
  const ids = enc.input_ids!;
  const keep = ids.map((row) => Math.min(row.length, maxTokens));
  const width = Math.max(1, ...keep);
  const left = tokenizer.padding_side === 'left';
  const out: Record<string, Tensor> = {};
  for (const [key, rows] of Object.entries(enc)) {
    const pad = key === 'input_ids' ? BigInt(tokenizer.pad_token_id ?? 0) : 0n;
    const data = new BigInt64Array(texts.length * width).fill(pad);
    rows.forEach((row, b) => {
      const n = keep[b]!;
      let kept = row.length > n ? row.slice(0, n) : row;
      if (row.length > n && special.has(ids[b]!.at(-1)!)) kept = [...row.slice(0, n - 1), row.at(-1)!];
      const offset = b * width + (left ? width - n : 0);
      kept.forEach((v, i) => (data[offset + i] = BigInt(v)));
    });
    out[key] = new TensorCtor('int64', data, [texts.length, width]);
  }
  return out as Record<string, Tensor> & { attention_mask: Tensor };
}

/** Pools token vectors [batch, tokens, dim] into one unit vector per text, padding excluded. */
export function pool(hidden: Tensor, mask: Tensor, pooling: Pooling): Float32Array[] {
  const [batch, tokens, dim] = hidden.dims as [number, number, number];
  const h = hidden.data as Float32Array;
  const m = mask.data;
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    let first = -1;
    let last = 0;
    let count = 0;
    for (let t = 0; t < tokens; t++) {
      if (Number(m[b * tokens + t]) === 0) continue; // padding (on either side)
      if (first < 0) first = t;
      last = t;
      count++;
      if (pooling === 'mean') for (let d = 0; d < dim; d++) v[d]! += h[(b * tokens + t) * dim + d]!;
    }
    if (pooling === 'mean') {
      if (count > 0) for (let d = 0; d < dim; d++) v[d]! /= count;
    } else {
      const at = (b * tokens + (pooling === 'cls' ? Math.max(first, 0) : last)) * dim;
      v.set(h.subarray(at, at + dim));
    }
    out.push(normalize(v));
  }
  return out;
}

export function rows(t: Tensor): Float32Array[] {
  const [n, dim] = t.dims as [number, number];
  return Array.from({ length: n }, (_, i) => Float32Array.from((t.data as Float32Array).subarray(i * dim, (i + 1) * dim)));
}
