// Writes a tiny sentence-embedding model folder, laid out like the Hugging Face repos that
// transformers.js reads (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx),
// so the ONNX embedder is tested end to end without downloading anything. The "model" is
// one embedding lookup: last_hidden_state = E[input_ids] × attention_mask. Words of a topic
// share a direction in E, so mean pooling puts texts on one topic close together.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
/** Two topics; every word of a topic leans towards that topic's axis. */
export const TOPICS: Record<string, string[]> = {
  graphs: ['graph', 'graphs', 'node', 'nodes', 'edge', 'edges', 'network', 'networks', 'neural', 'message', 'passing'],
  biology: ['protein', 'proteins', 'cell', 'cells', 'gene', 'genes', 'enzyme', 'folding', 'dna', 'expression', 'binding'],
};
const OTHER = ['query', ':', 'passage', 'a', 'the', 'of', 'on', 'for', 'in', 'and', 'represent', 'this', 'sentence', 'searching', 'relevant', 'passages'];

export interface TinyModelOptions {
  dim?: number;
  /** Written to config.json (transformers.js picks the architecture from it). */
  modelType?: string;
  /** Files to leave out, to test the errors a user gets for an incomplete folder. */
  omit?: string[];
  /** Extra files, e.g. { '1_Pooling/config.json': {...}, 'modules.json': [...] }. */
  extra?: Record<string, unknown>;
  /** The ONNX file's path inside the folder (default onnx/model.onnx). */
  onnxFile?: string;
  /** Changes every weight a little: same architecture, different vectors. */
  seed?: number;
}

export function vocabulary(): string[] {
  return [...SPECIAL, ...Object.values(TOPICS).flat(), ...OTHER];
}

/** Creates the folder and returns its embedding table (row = token id), for checks. */
export function writeTinyModel(dir: string, opts: TinyModelOptions = {}): { vocab: string[]; table: Float32Array[] } {
  const dim = opts.dim ?? 8;
  const vocab = vocabulary();
  const table = vocab.map((word, id) => embeddingRow(word, id, dim, opts.seed ?? 0));
  const files: Record<string, string | Uint8Array> = {
    'config.json': JSON.stringify({ model_type: opts.modelType ?? 'bert', hidden_size: dim, architectures: ['BertModel'], max_position_embeddings: 512 }),
    'tokenizer.json': JSON.stringify(tokenizerJson(vocab)),
    'tokenizer_config.json': JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]' }),
    'special_tokens_map.json': JSON.stringify({ cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]' }),
    [opts.onnxFile ?? 'onnx/model.onnx']: lookupModel(table, dim),
  };
  for (const [name, value] of Object.entries(opts.extra ?? {})) files[name] = JSON.stringify(value);
  for (const name of opts.omit ?? []) delete files[name];
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return { vocab, table };
}

function embeddingRow(word: string, id: number, dim: number, seed: number): Float32Array {
  const row = new Float32Array(dim);
  // A deterministic small "noise" per word so that no two words are identical.
  let h = 2166136261 ^ seed;
  for (const ch of `${word}#${id}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  for (let i = 0; i < dim; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    row[i] = ((h >>> 0) / 2 ** 32 - 0.5) * 0.4;
  }
  const topic = Object.keys(TOPICS).findIndex((t) => TOPICS[t]!.includes(word));
  if (topic >= 0) row[topic]! += 1; // topic axis 0 or 1
  else if (word === '[CLS]') row[dim - 1]! += 1;
  else row[2 + (id % (dim - 3))]! += 0.5; // other words: their own mild directions
  return row;
}

/** A BERT-style WordPiece tokenizer.json that transformers.js' tokenizers read. */
function tokenizerJson(vocab: string[]) {
  const ids = Object.fromEntries(vocab.map((w, i) => [w, i]));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

// ---- A minimal protobuf writer for the ONNX messages the graph needs (onnx.proto3 field numbers).

type Field = [number, 'varint', number] | [number, 'bytes', Uint8Array | string];

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n)); // negative int64 values are ten bytes of two's complement
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

function message(fields: Field[]): Uint8Array {
  const bytes: number[] = [];
  for (const [num, kind, value] of fields) {
    if (kind === 'varint') bytes.push(...varint((num << 3) | 0), ...varint(value));
    else {
      const data = typeof value === 'string' ? new TextEncoder().encode(value) : value;
      bytes.push(...varint((num << 3) | 2), ...varint(data.length), ...data);
    }
  }
  return Uint8Array.from(bytes);
}

const FLOAT = 1;
const INT64 = 7;

function tensorType(elemType: number, dims: (number | string)[]): Uint8Array {
  const shape = message(dims.map((d) => [1, 'bytes', message([typeof d === 'number' ? [1, 'varint', d] : [2, 'bytes', d]])]));
  return message([[1, 'bytes', message([[1, 'varint', elemType], [2, 'bytes', shape]])]]);
}

const valueInfo = (name: string, elemType: number, dims: (number | string)[]) => message([[1, 'bytes', name], [2, 'bytes', tensorType(elemType, dims)]]);

function node(op: string, inputs: string[], outputs: string[], attrs: Uint8Array[] = []): Uint8Array {
  return message([...inputs.map((i): Field => [1, 'bytes', i]), ...outputs.map((o): Field => [2, 'bytes', o]), [3, 'bytes', `${op}_${outputs[0]}`], [4, 'bytes', op],
    ...attrs.map((a): Field => [5, 'bytes', a])]);
}

const intAttr = (name: string, value: number) => message([[1, 'bytes', name], [3, 'varint', value], [20, 'varint', 2 /* INT */]]);

function tensor(name: string, dataType: number, dims: number[], raw: Uint8Array): Uint8Array {
  return message([...dims.map((d): Field => [1, 'varint', d]), [2, 'varint', dataType], [8, 'bytes', name], [9, 'bytes', raw]]);
}

/** ONNX model: last_hidden_state[b, s, :] = E[input_ids[b, s]] * attention_mask[b, s]. */
function lookupModel(table: Float32Array[], dim: number): Uint8Array {
  const flat = new Float32Array(table.length * dim);
  table.forEach((row, i) => flat.set(row, i * dim));
  const axes = new BigInt64Array([-1n]);
  const graph = message([
    [1, 'bytes', node('Gather', ['embeddings', 'input_ids'], ['looked_up'], [intAttr('axis', 0)])],
    [1, 'bytes', node('Cast', ['attention_mask'], ['mask_f'], [intAttr('to', FLOAT)])],
    [1, 'bytes', node('Unsqueeze', ['mask_f', 'unsqueeze_axes'], ['mask_e'])],
    [1, 'bytes', node('Mul', ['looked_up', 'mask_e'], ['last_hidden_state'])],
    [2, 'bytes', 'tiny_lookup'],
    [5, 'bytes', tensor('embeddings', FLOAT, [table.length, dim], new Uint8Array(flat.buffer))],
    [5, 'bytes', tensor('unsqueeze_axes', INT64, [1], new Uint8Array(axes.buffer))],
    [11, 'bytes', valueInfo('input_ids', INT64, ['batch', 'sequence'])],
    [11, 'bytes', valueInfo('attention_mask', INT64, ['batch', 'sequence'])],
    [12, 'bytes', valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', dim])],
  ]);
  return message([[1, 'varint', 8 /* IR version */], [2, 'bytes', 'paperboy-tests'], [7, 'bytes', graph], [8, 'bytes', message([[1, 'bytes', ''], [2, 'varint', 13]])]]);
}
