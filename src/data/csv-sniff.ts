/**
 * Guesses a delimited file's dialect from its first 64 KB: the delimiter, whether the first record is
 * a header, and whether the first line is junk (UCI adult.test starts with `|1x3 Cross validator`).
 */
import { parse } from 'csv-parse/sync';
import { parseNumber, type MissingTokens } from './column-builder.js';

export interface CsvDialect {
  delimiter: string;
  /** Fields per record, as most records of the sample have. */
  fieldCount: number;
  header: boolean;
  /** The first record's field count differs from the rest: it is not data. */
  skipFirstRecord: boolean;
  /** Spaces or tabs next to delimiters or at line ends in the sample (UCI Adult's ', '). */
  padded: boolean;
}

export interface SniffOptions {
  delimiter?: string;
  header?: boolean;
  /** Delimiter preferred when it fits (tab for `.tsv`). */
  preferred?: string;
  missing: MissingTokens;
  /** Lines starting with this are comments. */
  comment?: string;
}

/** Candidates, in the order preferred when several fit equally. */
const DELIMITERS = ['\t', ';', '|', ','] as const;
const SAMPLE_LINES = 200;

/** Lines that are never data: blank lines, comments, and lines starting with '|' (unless it delimits). */
export function isJunkLine(line: string, delimiter: string, comment = '#'): boolean {
  const t = line.trim();
  return t === '' || (comment !== '' && t.startsWith(comment)) || (delimiter !== '|' && t.startsWith('|'));
}

/** Fields in a line when split on `delimiter` outside double quotes. */
function countFields(line: string, delimiter: string): number {
  let count = 1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) count++;
  }
  return count;
}

function mode(values: number[]): { value: number; share: number } {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v > best)) [best, bestCount] = [v, c];
  return { value: best, share: values.length ? bestCount / values.length : 0 };
}

/** Picks the delimiter whose field count is the same on (nearly) every line, the most fields first. */
export function sniffDelimiter(lines: string[], preferred?: string, comment = '#'): string {
  type Fit = { delimiter: string; fields: number; share: number };
  const fits: Fit[] = [];
  for (const delimiter of DELIMITERS) {
    const data = lines.filter((l) => !isJunkLine(l, delimiter, comment));
    // The first line may be a header or junk with its own count: judge on the others when there are some.
    const counts = data.slice(data.length > 1 ? 1 : 0).map((l) => countFields(l, delimiter));
    const { value, share } = mode(counts);
    if (value >= 2) fits.push({ delimiter, fields: value, share });
  }
  if (fits.length === 0) return preferred ?? ',';
  const consistent = fits.filter((f) => f.share >= 0.9);
  const pool = consistent.length ? consistent : fits;
  const pref = pool.find((f) => f.delimiter === preferred);
  if (pref) return pref.delimiter;
  // Among consistent delimiters the one giving most fields wins; otherwise the most consistent one.
  pool.sort((a, b) => (consistent.length ? b.fields - a.fields : b.share - a.share) || b.share - a.share);
  const best = pool[0];
  // '1,5;2,0': commas inside semicolon-separated fields are decimal commas, not delimiters.
  const semicolon = consistent.find((f) => f.delimiter === ';');
  if (best.delimiter === ',' && semicolon && lines.some((l) => /(^|;)\s*-?\d+,\d+\s*(;|$)/.test(l))) return ';';
  return best.delimiter;
}

/** Splits the sample into records with csv-parse itself; a broken sample falls back to plain splitting. */
function sampleRecords(text: string, delimiter: string, comment: string | undefined): string[][] {
  try {
    return parse(text, {
      delimiter,
      bom: true,
      trim: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      ...(comment !== undefined ? { comment, comment_no_infix: true } : {}),
      to: SAMPLE_LINES,
    }) as string[][];
  } catch {
    return text
      .split(/\r?\n/)
      .filter((l) => !isJunkLine(l, delimiter, comment ?? ''))
      .slice(0, SAMPLE_LINES)
      .map((l) => l.split(delimiter).map((f) => f.trim()));
  }
}

/**
 * The first record is a header when its fields are distinct non-empty non-numbers and the rows below
 * disagree with it: some column is numeric below it, or none of its names reappear in its column.
 */
export function looksLikeHeader(first: string[], rest: string[][], missing: MissingTokens): boolean {
  if (first.some((f) => f === '' || parseNumber(f) === parseNumber(f) || missing.has(f))) return false;
  if (new Set(first).size !== first.length) return false;
  if (rest.length === 0) return true;
  const numericBelow = first.some((_, j) => {
    const values = rest.map((r) => r[j] ?? '').filter((v) => !missing.has(v));
    return values.length > 0 && values.filter((v) => parseNumber(v) === parseNumber(v)).length >= 0.9 * values.length;
  });
  if (numericBelow) return true;
  return first.every((name, j) => rest.every((r) => r[j] !== name));
}

/** Reads the dialect off a sample (whole lines only). */
export function sniffCsv(sample: string, options: SniffOptions): CsvDialect {
  const text = sample.replace(/^\uFEFF/, '');
  const lines = text.split(/\r\n|\n|\r/).slice(0, SAMPLE_LINES);
  const delimiter = options.delimiter ?? sniffDelimiter(lines, options.preferred, options.comment ?? '');
  const records = sampleRecords(text, delimiter, options.comment).filter(
    (r) => !(r.length === 1 && r[0] === '') && !(delimiter !== '|' && (r[0] ?? '').startsWith('|')),
  );
  const d = delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const padding = new RegExp(`[ \\t]${d}|${d}[ \\t]|^[ \\t]|[ \\t]$`);
  const padded = lines.some((l) => padding.test(l));
  if (records.length === 0) return { delimiter, fieldCount: 0, header: options.header ?? false, skipFirstRecord: false, padded };
  const rest = records.slice(1);
  const restMode = mode(rest.map((r) => r.length));
  const skipFirstRecord = rest.length > 0 && records[0].length !== restMode.value && restMode.share >= 0.9;
  const data = skipFirstRecord ? rest : records;
  const fieldCount = skipFirstRecord || rest.length > 0 ? restMode.value : records[0].length;
  const header = options.header ?? looksLikeHeader(data[0], data.slice(1).filter((r) => r.length === fieldCount), options.missing);
  return { delimiter, fieldCount, header, skipFirstRecord, padded };
}
