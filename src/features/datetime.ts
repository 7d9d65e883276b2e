/**
 * Datetime columns in ISO 8601 form: `YYYY-MM-DD`, optionally followed by `T` or a space,
 * `HH:MM[:SS[.fff]]` and a zone (`Z`, `+02:00`, `-0500`; ignored: parts are read as written).
 * Anything else is missing, in both paths. The year is scaled like a numeric column; month,
 * day of week (Sunday first) and hour are categories (0 = missing) encoded one-hot or as
 * embedding indices by the same cardinality rule as other categories.
 *
 * ONNX: RegexFullMatch validates, StringSplit on '-' gives year, month and the rest, Cast
 * (string → float, which parses a leading number as C's strtod does) reads each part, and the day
 * of week comes from integer arithmetic on year, month and day.
 */
import type { StringView } from './columns.js';
import { encodingFor, type CategoryEncoding } from './categorical.js';
import { fitScaleStats, type ScaleStats } from './numeric.js';
import { dropFirstRow, oneHotToOnnx, prependRow, type FragmentBuilder } from './onnx-builder.js';
import type { ResolvedFeatureOptions } from './options.js';

export type DatetimePart = 'month' | 'dayOfWeek' | 'hour';

/** Values plus the missing index 0. */
export const PART_CARDINALITY: Record<DatetimePart, number> = { month: 13, dayOfWeek: 8, hour: 25 };

export interface DatetimeStep {
  kind: 'datetime';
  column: string;
  year: ScaleStats;
  parts: { part: DatetimePart; encoding: CategoryEncoding }[];
}

/** The accepted form, as a pattern both JS RegExp and RE2 (RegexFullMatch) read the same way. */
export const ISO_DATETIME =
  String.raw`(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const ISO_RE = new RegExp(`^(?:${ISO_DATETIME})$`);

/** Day of week, 0 = Sunday, with the integer arithmetic the ONNX graph uses (days from civil). */
export function dayOfWeek(year: number, month: number, day: number): number {
  const y = year - (month <= 2 ? 1 : 0) + 400;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return (doe + 3) % 7;
}

/** Parsed parts per row: year (NaN = missing) and part indices (0 = missing). */
export interface DateParts {
  year: Float32Array;
  month: Int32Array;
  dayOfWeek: Int32Array;
  hour: Int32Array;
}

export function parseDates(view: StringView, rows: Int32Array): DateParts {
  const parsed = view.dictionary.map((s) => ISO_RE.exec(s));
  const n = rows.length;
  const out: DateParts = { year: new Float32Array(n).fill(NaN), month: new Int32Array(n), dayOfWeek: new Int32Array(n), hour: new Int32Array(n) };
  for (let i = 0; i < n; i++) {
    const code = view.codes[rows[i]!]!;
    const m = code < 0 ? null : parsed[code]!;
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    out.year[i] = y;
    out.month[i] = mo;
    out.dayOfWeek[i] = dayOfWeek(y, mo, d) + 1;
    out.hour[i] = m[4] === undefined ? 0 : Number(m[4]) + 1;
  }
  return out;
}

export function fitDatetime(column: string, view: StringView, rows: Int32Array, options: ResolvedFeatureOptions): DatetimeStep | string {
  const dates = parseDates(view, rows);
  const year = fitScaleStats(dates.year, options);
  if (!year) return 'no value in the training rows is an ISO 8601 date (YYYY-MM-DD[THH:MM[:SS]])';
  const hasHour = dates.hour.some((h) => h > 0);
  const parts: DatetimePart[] = hasHour ? ['month', 'dayOfWeek', 'hour'] : ['month', 'dayOfWeek'];
  return { kind: 'datetime', column, year, parts: parts.map((part) => ({ part, encoding: encodingFor(PART_CARDINALITY[part], options) })) };
}

/** Small constant and op helpers for one datetime column's nodes. */
function helpers(b: FragmentBuilder, h: string) {
  const ints = new Map<number, string>();
  const int = (v: number): string => {
    if (!ints.has(v)) ints.set(v, b.constant(`${h}/int/${v}`, 'int64', [], [v]));
    return ints.get(v)!;
  };
  return {
    int,
    str: (s: string, hint: string) => b.constant(`${h}/${hint}`, 'string', [], [s]),
    /** Element k of the last axis of a StringSplit result: `[B, 1]`. */
    piece: (from: string, k: number, hint: string) => b.op('Gather', [from, int(k)], `${h}/${hint}`, { axis: 2 }),
    /** Binary op with an int64 constant. */
    withInt: (type: string, a: string, v: number, hint: string) => b.op(type, [a, int(v)], `${h}/${hint}`),
    bin: (type: string, a: string, c: string, hint: string) => b.op(type, [a, c], `${h}/${hint}`),
  };
}

/** Day of week + 1 (Sunday = 1) from int64 y, m, d: days from civil, shifted 400 years so quotients are non-negative. */
function dayOfWeekToOnnx(b: FragmentBuilder, h: string, y: string, m: string, d: string): string {
  const { withInt, bin } = helpers(b, `${h}/dow`);
  const early = b.cast(withInt('Less', m, 3, 'early'), 'int64', `${h}/dow/early/int`);
  const yoe = withInt('Mod', withInt('Add', bin('Sub', y, early, 'y-early'), 400, 'yy'), 400, 'yoe');
  const mp = withInt('Mod', withInt('Add', m, 9, 'm+9'), 12, 'mp');
  const doy0 = withInt('Div', withInt('Add', withInt('Mul', mp, 153, '153mp'), 2, '153mp+2'), 5, 'doy0');
  const doy = bin('Add', doy0, withInt('Sub', d, 1, 'd-1'), 'doy');
  const leap = bin('Sub', withInt('Div', yoe, 4, 'yoe/4'), withInt('Div', yoe, 100, 'yoe/100'), 'leap');
  const doe = bin('Add', bin('Add', withInt('Mul', yoe, 365, '365yoe'), leap, 'doe0'), doy, 'doe');
  return withInt('Add', withInt('Mod', withInt('Add', doe, 3, 'doe+3'), 7, 'dow0'), 1, 'index');
}

/** Hour + 1 from the text after 'T' or ' ' in the day part (0 when there is no time). */
function hourToOnnx(b: FragmentBuilder, h: string, rest: string, valid: string): string {
  const { int, str, piece } = helpers(b, `${h}/hour`);
  // Appending the delimiter first makes every value split into exactly two pieces.
  const after = (delimiter: string, hint: string) => {
    const padded = b.op('StringConcat', [rest, str(delimiter, `${hint}/delimiter`)], `${h}/hour/${hint}/padded`);
    const [halves] = b.opN('StringSplit', [padded], [`${h}/hour/${hint}/split`, `${h}/hour/${hint}/count`], { delimiter, maxsplit: 1 });
    return piece(halves!, 1, `${hint}/after`);
  };
  const time = b.op('StringConcat', [after('T', 't'), after(' ', 'space')], `${h}/hour/time`);
  const empty = b.op('Equal', [time, str('', 'empty')], `${h}/hour/time/empty`);
  const hasTime = b.op('And', [valid, b.op('Not', [empty], `${h}/hour/time/present`)], `${h}/hour/time/valid`);
  const text = b.op('Where', [hasTime, time, str('0', 'zero')], `${h}/hour/text`);
  const hour = b.cast(b.cast(text, 'float32', `${h}/hour/float`), 'int64', `${h}/hour/int`);
  return b.op('Where', [hasTime, b.op('Add', [hour, int(1)], `${h}/hour/plus-one`), int(0)], `${h}/hour/index`);
}

/**
 * ONNX for a datetime step's `[B, 1]` string input: the raw year `[B, 1]` float (NaN = missing)
 * and the `[B, 1]` int64 index of each of the step's parts.
 */
export function datetimeToOnnx(b: FragmentBuilder, step: DatetimeStep, input: string): { year: string; parts: Partial<Record<DatetimePart, string>> } {
  const h = step.column;
  const { int, str, piece } = helpers(b, h);
  const padded = prependRow(b, input, '2000-01-01', h);
  const valid = b.op('RegexFullMatch', [padded], `${h}/valid`, { pattern: ISO_DATETIME });
  const safe = b.op('Where', [valid, padded, str('2000-01-01', 'placeholder')], `${h}/safe`);
  const [ymd] = b.opN('StringSplit', [safe], [`${h}/ymd`, `${h}/ymd/count`], { delimiter: '-', maxsplit: 2 });
  const rest = piece(ymd!, 2, 'rest');
  // Cast string → float reads the leading number ('15T10:20' → 15), like C's strtod.
  const yearF = b.cast(piece(ymd!, 0, 'year/text'), 'float32', `${h}/year/float`);
  const asInt = (text: string, hint: string) => b.cast(b.cast(text, 'float32', `${h}/${hint}/float`), 'int64', `${h}/${hint}/int`);
  const m = asInt(piece(ymd!, 1, 'month/text'), 'month');
  const year = b.op('Where', [valid, yearF, b.constant(`${h}/nan`, 'float32', [], [NaN])], `${h}/year`);
  const parts: Partial<Record<DatetimePart, string>> = {};
  for (const { part } of step.parts) {
    let index: string;
    if (part === 'month') index = m;
    else if (part === 'hour') index = hourToOnnx(b, h, rest, valid);
    else index = dayOfWeekToOnnx(b, h, b.cast(yearF, 'int64', `${h}/year/int`), m, asInt(rest, 'day'));
    const checked = part === 'hour' ? index : b.op('Where', [valid, index, int(0)], `${h}/${part}/checked`);
    parts[part] = dropFirstRow(b, checked, `${h}/${part}`);
  }
  return { year: dropFirstRow(b, year, `${h}/year`), parts };
}

/** The float column(s) or int column of one part, from its `[B, 1]` index. */
export function partToOnnx(b: FragmentBuilder, step: DatetimeStep, part: DatetimeStep['parts'][number], index: string): string {
  return part.encoding === 'one-hot' ? oneHotToOnnx(b, index, PART_CARDINALITY[part.part], `${step.column}:${part.part}`) : index;
}
