/**
 * Builds one column while a file streams by: numbers go straight into a growing Float64Array,
 * text into a dictionary. Nothing keeps a row object.
 *
 * In `auto` mode (CSV, JSON lines) a column stays numeric while every non-missing value parses as a
 * number; the first value that does not turns it into a string column. From then on any value of that
 * column that parses as a number is stored in canonical form (`String(Number(text))`: '1.0' and '1.00'
 * both become '1'), for the values already read as numbers and the later ones alike, so one value
 * always gets one code whatever its position in the file.
 *
 * A zero-padded number ('08123', '007': a leading zero followed by a digit) is a code, not a quantity:
 * in `auto` mode it turns the column into a string column and is kept as written, so that inference
 * sees the zero (kinds.ts makes such a column categorical and says why).
 */
import { parseDecimal } from './decimal.js';
import type { Column, DeclaredType } from './table.js';

/** Tokens read as a missing value, compared case-insensitively. Users add their own. */
export const DEFAULT_MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'null', '?', 'NaN'];

export class MissingTokens {
  private readonly tokens: Set<string>;
  private readonly maxLength: number;
  /** ASCII first characters of the tokens, in both cases: most values are rejected on their first. */
  private readonly firsts = new Uint8Array(128);

  constructor(extra: readonly string[] = []) {
    this.tokens = new Set([...DEFAULT_MISSING_TOKENS, ...extra].map((t) => t.trim().toLowerCase()));
    this.maxLength = Math.max(...[...this.tokens].map((t) => t.length));
    for (const t of this.tokens) {
      for (const c of [t.charCodeAt(0), t.toUpperCase().charCodeAt(0)]) if (c < 128) this.firsts[c] = 1;
    }
  }

  has(text: string): boolean {
    if (text.length > this.maxLength) return false;
    const c = text.charCodeAt(0);
    if (c < 128 && this.firsts[c] === 0) return false;
    return this.tokens.has(text) || this.tokens.has(text.toLowerCase());
  }

  list(): string[] {
    return [...this.tokens];
  }
}

/**
 * The number a text spells, or NaN. Stricter than `Number()`: no empty string, no hex/binary/octal
 * literals, no Infinity, no inner spaces ('1 2').
 */
export function parseNumber(text: string): number {
  const c = text.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return NaN;
  const simple = parseDecimal(text);
  if (simple === simple) return simple;
  const x = +text;
  if (x - x !== 0) return NaN;
  if (c === 48 && text.length > 2) {
    const d = text.charCodeAt(1) | 32;
    if (d === 120 || d === 98 || d === 111) return NaN;
  }
  return x;
}

/** '08123', '007', '00.5': a leading zero followed by a digit (not '0', '0.5', '-05'). */
export function zeroPadded(text: string): boolean {
  if (text.charCodeAt(0) !== 48 || text.length < 2) return false;
  const d = text.charCodeAt(1);
  return d >= 48 && d <= 57;
}

/** `auto`: numeric until a non-number shows up; `string`/`number`: the file declared the type. */
export type BuilderMode = 'auto' | 'string' | 'number';

const INITIAL_CAPACITY = 1024;
/** Texts `seen` remembers: a column with more distinct texts is likely an identifier, read the slow way. */
const SEEN_LIMIT = 1 << 16;

export class ColumnBuilder {
  readonly name: string;
  length = 0;
  /** What the file declares the values to be; readers set it before `finish`. */
  declared: DeclaredType | undefined;
  private readonly missing: MissingTokens;
  private readonly mode: BuilderMode;
  private nums: Float64Array | null = null;
  private codes: Int32Array | null = null;
  private readonly lookup = new Map<string, number>();
  /** What `push` stored for a text in a string column: repeated texts skip the missing and number checks. */
  private readonly seen = new Map<string, number>();
  private readonly dictionary: string[] = [];

  constructor(name: string, missing: MissingTokens, mode: BuilderMode = 'auto') {
    this.name = name;
    this.missing = missing;
    this.mode = mode;
    if (mode === 'string') this.codes = new Int32Array(INITIAL_CAPACITY);
    else this.nums = new Float64Array(INITIAL_CAPACITY);
  }

  /** True while every value so far is a number (or missing). */
  get isNumeric(): boolean {
    return this.nums !== null;
  }

  /**
   * Appends a value given as text. Returns false (and appends nothing) only in `number` mode when the
   * text is neither a number nor a missing token, so the reader can report the line.
   */
  push(text: string): boolean {
    if (this.codes !== null) {
      const known = this.seen.get(text);
      if (known !== undefined) {
        if (this.length === this.codes.length) this.codes = grow(this.codes);
        this.codes[this.length++] = known;
        return true;
      }
    }
    if (this.missing.has(text)) {
      this.pushMissing();
      if (this.codes !== null && this.seen.size < SEEN_LIMIT) this.seen.set(text, -1);
      return true;
    }
    if (this.nums !== null) {
      const x = parseNumber(text);
      if (x === x && (this.mode === 'number' || !zeroPadded(text))) {
        this.pushNumber(x);
        return true;
      }
      if (this.mode === 'number') return false;
      this.toStrings();
    }
    const codes = this.ensureCodes();
    let canonical = text;
    if (this.mode === 'auto' && !zeroPadded(text)) {
      const x = parseNumber(text);
      if (x === x) canonical = String(x);
    }
    const code = this.code(canonical);
    codes[this.length++] = code;
    if (this.seen.size < SEEN_LIMIT) this.seen.set(text, code);
    return true;
  }

  /**
   * Appends field `j` of each record (a batch from a CSV parser), through `trim` when given. The usual
   * cases run in loops of their own, on local variables (a number into a numeric column, a text seen
   * before into a string column); the rest goes through `push`.
   */
  pushField(records: readonly string[][], j: number, trim?: (text: string) => string): void {
    const n = records.length;
    if (this.nums !== null) while (this.nums.length < this.length + n) this.nums = grow(this.nums);
    else if (this.codes !== null) while (this.codes.length < this.length + n) this.codes = grow(this.codes);
    for (let i = 0; i < n; i++) {
      i = this.nums !== null ? this.numbersFrom(records, j, i, trim) : this.knownFrom(records, j, i, trim);
      if (i < n) this.push(trim === undefined ? records[i][j] : trim(records[i][j]));
    }
  }

  /** Appends numbers and missing values from record `i` on; returns the record of the first other text. */
  private numbersFrom(records: readonly string[][], j: number, i: number, trim?: (text: string) => string): number {
    const nums = this.nums as Float64Array;
    const missing = this.missing;
    const auto = this.mode === 'auto';
    let length = this.length;
    for (; i < records.length; i++) {
      const text = trim === undefined ? records[i][j] : trim(records[i][j]);
      let x = NaN;
      if (!missing.has(text)) {
        x = parseNumber(text);
        if (x !== x || (auto && zeroPadded(text))) break;
      }
      nums[length++] = x;
    }
    this.length = length;
    return i;
  }

  /** Appends the codes of texts seen before from record `i` on; returns the record of the first new text. */
  private knownFrom(records: readonly string[][], j: number, i: number, trim?: (text: string) => string): number {
    const codes = this.ensureCodes();
    const seen = this.seen;
    let length = this.length;
    for (; i < records.length; i++) {
      const code = seen.get(trim === undefined ? records[i][j] : trim(records[i][j]));
      if (code === undefined) break;
      codes[length++] = code;
    }
    this.length = length;
    return i;
  }

  /** Appends a number; NaN is a missing value. */
  pushNumber(x: number): void {
    if (this.nums !== null) {
      if (this.length === this.nums.length) this.nums = grow(this.nums);
      this.nums[this.length++] = x;
      return;
    }
    const codes = this.ensureCodes();
    codes[this.length++] = x === x ? this.code(String(x)) : -1;
  }

  pushMissing(): void {
    if (this.nums !== null) this.pushNumber(NaN);
    else this.ensureCodes()[this.length++] = -1;
  }

  /**
   * Appends a value of any JSON/Parquet type: null → missing, bigint → number, boolean → 'true'/'false',
   * Date → ISO string, bytes → UTF-8 text, objects and arrays → their JSON text.
   */
  pushValue(value: unknown): boolean {
    if (value === null || value === undefined) {
      this.pushMissing();
      return true;
    }
    switch (typeof value) {
      case 'number':
        this.pushNumber(value);
        return true;
      case 'bigint':
        this.pushNumber(Number(value));
        return true;
      case 'string':
        return this.push(value);
      case 'boolean':
        return this.pushText(value ? 'true' : 'false');
    }
    if (value instanceof Date) return this.pushText(Number.isNaN(value.getTime()) ? '' : value.toISOString());
    if (value instanceof Uint8Array) return this.pushText(Buffer.from(value).toString('utf8'));
    return this.pushText(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  }

  /** The finished column, trimmed to its length. The builder must not be used afterwards. */
  finish(): Column {
    if (this.nums !== null) {
      const values = fit(this.nums, this.length);
      this.nums = null;
      return { type: 'number', name: this.name, values, ...this.declaration() };
    }
    const codes = fit(this.ensureCodes(), this.length);
    this.codes = null;
    return { type: 'string', name: this.name, codes, dictionary: this.dictionary, ...this.declaration() };
  }

  private declaration(): { declared?: DeclaredType } {
    return this.declared === undefined ? {} : { declared: this.declared };
  }

  /** Text that is not a number even when it looks like one (booleans, dates, JSON). */
  private pushText(text: string): boolean {
    if (this.mode === 'number') return false;
    if (this.nums !== null) this.toStrings();
    this.ensureCodes()[this.length++] = this.missing.has(text) ? -1 : this.code(text);
    return true;
  }

  private code(text: string): number {
    let c = this.lookup.get(text);
    if (c === undefined) {
      c = this.dictionary.length;
      this.dictionary.push(text);
      this.lookup.set(text, c);
    }
    return c;
  }

  private ensureCodes(): Int32Array {
    if (this.codes === null) this.codes = new Int32Array(INITIAL_CAPACITY);
    if (this.length === this.codes.length) this.codes = grow(this.codes);
    return this.codes;
  }

  /** The column turned out not to be numeric: re-encode what was read so far as canonical text. */
  private toStrings(): void {
    const nums = this.nums as Float64Array;
    const codes = new Int32Array(nums.length);
    for (let i = 0; i < this.length; i++) {
      const x = nums[i];
      codes[i] = x === x ? this.code(String(x)) : -1;
    }
    this.nums = null;
    this.codes = codes;
  }
}

/** An Int32Array that grows as values are appended (line numbers, row indices). */
export class Int32Builder {
  length = 0;
  private data = new Int32Array(INITIAL_CAPACITY);

  push(x: number): void {
    if (this.length === this.data.length) this.data = grow(this.data);
    this.data[this.length++] = x;
  }

  finish(): Int32Array {
    return fit(this.data, this.length);
  }
}

/**
 * The first `length` values. A view when little of the array is unused: copying a million-row column
 * costs more than the at most 1/8 of it that stays allocated.
 */
function fit<T extends Float64Array | Int32Array>(array: T, length: number): T {
  if (array.length - length <= array.length / 8) return array.subarray(0, length) as T;
  return array.slice(0, length) as T;
}

function grow<T extends Float64Array | Int32Array>(array: T): T {
  const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
