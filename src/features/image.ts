/**
 * Image columns: every image is resized to one size chosen at fit time and kept as RGB bytes
 * [rows, height, width, 3] (what the exported model takes as its uint8 input), then normalised per
 * channel with the training images' mean and standard deviation into float32 [rows, 3, height,
 * width] for the network. The JS path and the ONNX path compute (x − mean) / std in float32 with
 * the same two roundings, so they agree to the bit. A missing image (an empty cell, or an
 * unreadable file read as missing) is the training mean colour, rounded to bytes.
 */
import type { Table } from '../data/table.js';
import { makeNode } from '../graph/onnx-proto.js';
import { findColumn, stringView } from './columns.js';
import { decodeResized, readSizes, type ImageSize, type Unreadable } from './image-decode.js';
import type { FragmentBuilder } from './onnx-builder.js';
import type { ResolvedFeatureOptions } from './options.js';

export interface ImageStep {
  kind: 'image';
  column: string;
  height: number;
  width: number;
  /** Per channel (R, G, B) over the training images' pixels, as float32 values. */
  mean: number[];
  std: number[];
  /** What an unreadable file is: an error, or a missing value. */
  unreadable: Unreadable;
}

/** One image column's encoded rows: RGB bytes, row-major [rows, height, width, 3], and the step's statistics. */
export interface ImageBlock {
  column: string;
  height: number;
  width: number;
  pixels: Uint8Array;
  mean: number[];
  std: number[];
}

/** The network input (and feature-fragment output) of an image column. */
export const imageInputName = (column: string): string => `image:${column}`;

/** 'auto' keeps the training images' median size, scaled down (aspect kept) so no side passes this. */
export const AUTO_MAX_SIDE = 64;

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function chooseSize(sizes: ImageSize[], option: ResolvedFeatureOptions['imageSize']): ImageSize {
  if (option !== 'auto') return { height: option, width: option };
  const height = median(sizes.map((s) => s.height));
  const width = median(sizes.map((s) => s.width));
  const scale = Math.min(1, AUTO_MAX_SIDE / Math.max(height, width));
  return { height: Math.max(1, Math.round(height * scale)), width: Math.max(1, Math.round(width * scale)) };
}

/** The step for one column, or a reason to drop it when no training row has a readable image. */
export async function fitImage(table: Table, column: string, rows: Int32Array, options: ResolvedFeatureOptions): Promise<ImageStep | string> {
  const view = stringView(findColumn(table, column));
  const unreadable = options.imageMissing === 'missing' ? 'missing' : 'error';
  const sizes = (await readSizes(table, column, view, rows, unreadable)).filter((s): s is ImageSize => s !== undefined);
  if (sizes.length === 0) return 'no training row has a readable image';
  const size = chooseSize(sizes, options.imageSize);
  const images = await decodeResized(table, column, view, rows, size, unreadable);
  const sum = new Float64Array(3);
  const squares = new Float64Array(3);
  let pixels = 0;
  for (let i = 0; i < rows.length; i++) {
    const code = view.codes[rows[i]!]!;
    const image = code >= 0 ? images[code] : undefined;
    if (!image) continue;
    for (let k = 0; k < image.length; k += 3) {
      for (let c = 0; c < 3; c++) {
        sum[c] += image[k + c]!;
        squares[c] += image[k + c]! * image[k + c]!;
      }
    }
    pixels += image.length / 3;
  }
  const mean = Array.from(sum, (s) => Math.fround(s / pixels));
  // A flat channel (every pixel alike) is left unscaled rather than divided by zero.
  const std = Array.from(squares, (q, c) => Math.fround(Math.sqrt(Math.max(0, q / pixels - (sum[c]! / pixels) ** 2)) || 1));
  return { kind: 'image', column, ...size, mean, std, unreadable };
}

/** The rows' images as bytes; missing ones are the mean colour, rounded. */
export async function encodeImage(step: ImageStep, table: Table, rows: Int32Array): Promise<ImageBlock> {
  const view = stringView(findColumn(table, step.column));
  const size = step.height * step.width * 3;
  const images = await decodeResized(table, step.column, view, rows, step, step.unreadable);
  const fill = new Uint8Array(size);
  for (let k = 0; k < size; k++) fill[k] = Math.round(step.mean[k % 3]!);
  const pixels = new Uint8Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) {
    const code = view.codes[rows[i]!]!;
    pixels.set((code >= 0 ? images[code] : undefined) ?? fill, i * size);
  }
  return { column: step.column, height: step.height, width: step.width, pixels, mean: step.mean, std: step.std };
}

/** The network's input for `rows` of a block (all when null): float32 [n, 3, height, width]. */
export function normalizeImages(block: ImageBlock, rows: Int32Array | null): Float32Array {
  const plane = block.height * block.width;
  const n = rows ? rows.length : block.pixels.length / (plane * 3);
  const out = new Float32Array(n * 3 * plane);
  const mean = block.mean.map(Math.fround);
  const std = block.std.map(Math.fround);
  for (let i = 0; i < n; i++) {
    const from = (rows ? rows[i]! : i) * plane * 3;
    for (let c = 0; c < 3; c++) {
      const to = (i * 3 + c) * plane;
      const m = mean[c]!;
      const s = std[c]!;
      for (let p = 0; p < plane; p++) out[to + p] = Math.fround(Math.fround(block.pixels[from + p * 3 + c]! - m) / s);
    }
  }
  return out;
}

/** uint8 [B, H, W, 3] input → the named float32 [B, 3, H, W] output, normalised as normalizeImages does. */
export function imageToOnnx(b: FragmentBuilder, step: ImageStep, input: string, output: string): void {
  const h = step.column;
  const float = b.cast(input, 'float32', `${h}/float`);
  const planes = b.op('Transpose', [float], `${h}/nchw`, { perm: [0, 3, 1, 2] });
  const centred = b.op('Sub', [planes, b.constant(`${h}/mean`, 'float32', [1, 3, 1, 1], step.mean)], `${h}/centred`);
  const std = b.constant(`${h}/std`, 'float32', [1, 3, 1, 1], step.std);
  b.nodes.push(makeNode('Div', [centred, std], [output], {}, b.name(`${h}/normalised`)));
}
