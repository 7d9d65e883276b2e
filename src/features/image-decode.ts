/**
 * Reading image files for an image column: each row's path (relative to the table file) decoded and
 * resized by sharp to RGB bytes [height, width, 3], alpha dropped and grey turned to RGB. A path
 * read by several rows is decoded once. An unreadable or missing file is a DataError naming the
 * table, the row's line, the column and the path, unless the caller reads it as a missing value.
 */
import { dirname, resolve } from 'node:path';
import sharp from 'sharp';
import { lineOf } from '../data/columns.js';
import type { Table } from '../data/table.js';
import { DataError } from '../errors.js';
import type { StringView } from './columns.js';

/** Files decoded at once: enough to keep sharp's worker threads busy, few enough to bound memory. */
const IN_FLIGHT = 16;

export interface ImageSize {
  height: number;
  width: number;
}

/** Where the image of a value is: relative paths are taken from the table file's folder. */
export const imagePath = (table: Table, value: string): string => resolve(dirname(table.source), value);

export type Unreadable = 'error' | 'missing';

function unreadable(table: Table, column: string, row: number, value: string, reason: string): DataError {
  return new DataError(
    'image-unreadable',
    `cannot read the image '${value}' (${imagePath(table, value)}): ${reason}. Fix the path or the file, or read unreadable images as missing values (--image-missing missing)`,
    { file: table.source, line: lineOf(table, row), column },
    { path: value },
  );
}

/**
 * Runs `read` once per distinct value of `rows` (in dictionary order, IN_FLIGHT at a time) and
 * returns the result per dictionary code; an unreadable file is an error at its first row, or
 * undefined when `onUnreadable` is 'missing'.
 */
async function perValue<T>(
  table: Table, column: string, view: StringView, rows: Int32Array, onUnreadable: Unreadable, read: (path: string) => Promise<T>,
): Promise<Array<T | undefined>> {
  const firstRow = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const code = view.codes[rows[i]!]!;
    if (code >= 0 && !firstRow.has(code)) firstRow.set(code, rows[i]!);
  }
  const codes = [...firstRow.keys()].sort((a, b) => a - b);
  const out = new Array<T | undefined>(view.dictionary.length);
  for (let start = 0; start < codes.length; start += IN_FLIGHT) {
    await Promise.all(codes.slice(start, start + IN_FLIGHT).map(async (code) => {
      const value = view.dictionary[code]!;
      try {
        out[code] = await read(imagePath(table, value));
      } catch (e) {
        if (onUnreadable === 'error') throw unreadable(table, column, firstRow.get(code)!, value, (e as Error).message);
      }
    }));
  }
  return out;
}

/** Each distinct image's stored size (without decoding its pixels). */
export function readSizes(table: Table, column: string, view: StringView, rows: Int32Array, onUnreadable: Unreadable): Promise<Array<ImageSize | undefined>> {
  return perValue(table, column, view, rows, onUnreadable, async (path) => {
    const { width, height } = await sharp(path).metadata();
    if (!width || !height) throw new Error('the file has no image size');
    return { width, height };
  });
}

/** Each distinct image as RGB bytes [height, width, 3], resized (stretched) to `size`. */
export function decodeResized(table: Table, column: string, view: StringView, rows: Int32Array, size: ImageSize, onUnreadable: Unreadable): Promise<Array<Uint8Array | undefined>> {
  return perValue(table, column, view, rows, onUnreadable, async (path) => {
    const { data, info } = await sharp(path)
      .removeAlpha()
      .toColourspace('srgb')
      .resize(size.width, size.height, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== size.width * size.height * 3) throw new Error(`decoded to ${info.channels} channels, not RGB`);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  });
}
