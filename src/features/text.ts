/**
 * Text columns: lower-case, split into words, add word pairs, and count tokens per hash bucket.
 *
 * The JS tokenizer does exactly what the ONNX path does in onnxruntime:
 * - StringNormalizer(LOWER, locale 'C') lower-cases ASCII letters only (the default locale
 *   en_US.UTF-8 is missing on many hosts and makes the session fail to load; 'C' always exists);
 * - StringSplit without a delimiter splits on runs of the space character ' ' only (not tabs or
 *   newlines), dropping empty pieces.
 * ONNX cannot hash a string, so hashing happens at fit time: the plan keeps token → bucket for the
 * tokens seen in training and a LabelEncoder maps them. Unseen tokens are dropped in both paths.
 */
import { byFrequency, countCodes, type StringView } from './columns.js';
import { dropFirstRow, prependRow, type FragmentBuilder } from './onnx-builder.js';
import type { ResolvedFeatureOptions } from './options.js';

export interface TextStep {
  kind: 'text';
  column: string;
  buckets: number;
  bigrams: boolean;
  weighting: 'count' | 'log1p';
  /** Tokens kept at fit time (words, and 'a b' for word pairs) with their buckets. */
  tokens: string[];
  tokenBuckets: number[];
}

/** ASCII lower-case, as StringNormalizer with locale 'C'. */
export function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Words (split on runs of ' '), then word pairs joined by one space when `bigrams`. */
export function tokenize(text: string, bigrams: boolean): string[] {
  const words = lowerAscii(text).split(' ').filter((w) => w !== '');
  if (!bigrams) return words;
  const tokens = words.slice();
  for (let i = 0; i + 1 < words.length; i++) tokens.push(`${words[i]} ${words[i + 1]}`);
  return tokens;
}

const utf8 = new TextEncoder();

/** 32-bit FNV-1a of the UTF-8 bytes. */
export function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (const byte of utf8.encode(token)) h = Math.imul(h ^ byte, 0x01000193);
  return h >>> 0;
}

/** The step for one column, or a reason to drop it when no token is frequent enough. */
export function fitText(column: string, view: StringView, rows: Int32Array, options: ResolvedFeatureOptions): TextStep | string {
  const perCode = countCodes(view, rows);
  const documentFrequency = new Map<string, number>();
  view.dictionary.forEach((text, code) => {
    const n = perCode[code]!;
    if (n === 0) return;
    for (const token of new Set(tokenize(text, options.textBigrams))) {
      documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + n);
    }
  });
  const tokens = byFrequency(documentFrequency)
    .filter((t) => documentFrequency.get(t)! >= options.textMinFrequency)
    .slice(0, options.textMaxTokens);
  if (tokens.length === 0) return `no word occurs in ${options.textMinFrequency} or more training rows (textMinFrequency)`;
  const buckets = options.textBuckets;
  return {
    kind: 'text',
    column,
    buckets,
    bigrams: options.textBigrams,
    weighting: options.textWeighting,
    tokens,
    tokenBuckets: tokens.map((t) => hashToken(t) % buckets),
  };
}

/** Writes bucket values into columns col .. col + buckets - 1; each distinct text is tokenized once. */
export function textInto(step: TextStep, view: StringView, rows: Int32Array, out: Float32Array, width: number, col: number): void {
  const lookup = new Map(step.tokens.map((t, i) => [t, step.tokenBuckets[i]!]));
  const cache = new Array<Int32Array | undefined>(view.dictionary.length);
  const bucketsOf = (code: number): Int32Array => {
    let ids = cache[code];
    if (!ids) {
      const found = tokenize(view.dictionary[code]!, step.bigrams).flatMap((t) => lookup.get(t) ?? []);
      ids = cache[code] = Int32Array.from(found);
    }
    return ids;
  };
  const log = step.weighting === 'log1p';
  for (let i = 0, o = col; i < rows.length; i++, o += width) {
    out.fill(0, o, o + step.buckets);
    const code = view.codes[rows[i]!]!;
    if (code < 0) continue;
    const ids = bucketsOf(code);
    for (let k = 0; k < ids.length; k++) out[o + ids[k]!] += 1;
    if (!log || ids.length === 0) continue;
    for (let k = o; k < o + step.buckets; k++) if (out[k] !== 0) out[k] = Math.fround(Math.log1p(out[k]!));
  }
}

/** `[B, 1]` string input → `[B, buckets]` float counts (or log1p counts). */
export function textToOnnx(b: FragmentBuilder, step: TextStep, input: string): string {
  const h = step.column;
  const padded = prependRow(b, input, '', h);
  const flat = b.op('Reshape', [padded, b.constant(`${h}/flat/shape`, 'int64', [1], [-1])], `${h}/flat`);
  const lower = b.op('StringNormalizer', [flat], `${h}/lower`, { case_change_action: 'LOWER', locale: 'C' });
  const [words] = b.opN('StringSplit', [lower], [`${h}/words`, `${h}/word-count`]);
  let tokens = words!;
  if (step.bigrams) {
    const axis = b.constant(`${h}/pairs/axis`, 'int64', [1], [1]);
    const zero = b.constant(`${h}/pairs/zero`, 'int64', [1], [0]);
    const one = b.constant(`${h}/pairs/one`, 'int64', [1], [1]);
    const minusOne = b.constant(`${h}/pairs/minus-one`, 'int64', [1], [-1]);
    const end = b.constant(`${h}/pairs/end`, 'int64', [1], [Number.MAX_SAFE_INTEGER]);
    const first = b.op('Slice', [tokens, zero, minusOne, axis], `${h}/pairs/first`);
    const second = b.op('Slice', [tokens, one, end, axis], `${h}/pairs/second`);
    const space = b.constant(`${h}/pairs/space`, 'string', [], [' ']);
    const withSpace = b.op('StringConcat', [first, space], `${h}/pairs/first-space`);
    const pairs = b.op('StringConcat', [withSpace, second], `${h}/pairs`);
    tokens = b.op('Concat', [tokens, pairs], `${h}/tokens`, { axis: 1 });
  }
  const ids = b.ml('LabelEncoder', [tokens], `${h}/bucket`, {
    keys_strings: step.tokens,
    values_int64s: step.tokenBuckets,
    default_int64: -1,
  });
  const ids3 = b.op('Unsqueeze', [ids, b.constant(`${h}/bucket/axis`, 'int64', [1], [2])], `${h}/bucket/unsqueeze`);
  const range = b.constant(`${h}/range`, 'int64', [step.buckets], Array.from({ length: step.buckets }, (_, i) => i));
  const hits = b.cast(b.op('Equal', [ids3, range], `${h}/hits`), 'float32', `${h}/hits/float`);
  const counts = b.op('ReduceSum', [hits, b.constant(`${h}/count/axis`, 'int64', [1], [1])], `${h}/count`, { keepdims: 0 });
  if (step.weighting === 'count') return dropFirstRow(b, counts, h);
  const plusOne = b.op('Add', [counts, b.constant(`${h}/one`, 'float32', [], [1])], `${h}/count+1`);
  return dropFirstRow(b, b.op('Log', [plusOne], `${h}/log1p`), h);
}
