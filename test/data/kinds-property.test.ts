/**
 * Property test of kind inference (issue 8): columns of every shape are generated, written as CSV,
 * JSON lines, Parquet and ARFF, read back, and must get the kind that shape and format call for.
 * Formats that declare types keep them: 0/1 stored as numbers is numeric in JSON lines, Parquet and
 * ARFF, boolean only in CSV.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inferSchema } from '../../src/data/infer.js';
import { readTable } from '../../src/data/read.js';
import type { ColumnKind } from '../../src/data/schema.js';
import { scratch } from './helpers.js';
import { FORMATS, writeTable, type Cell, type Format, type TypedColumn } from './table-writers.js';

const { write } = scratch();
/** Generated columns per shape; each is read in four formats. */
const RUNS = 6;

interface Shape {
  name: string;
  column: fc.Arbitrary<Omit<TypedColumn, 'name'>>;
  expected: ColumnKind | Record<Format, ColumnKind>;
  /** Formats where the column gets a 'leading-zeros' warning. */
  warns?: Format[];
}

/** The pool's values each at least once, then picks from it up to 40..120 rows, in random order. */
function rowsOf<T extends Cell>(pool: T[]): fc.Arbitrary<T[]> {
  const picks = fc.array(fc.constantFrom(...pool), { minLength: 40 - Math.min(pool.length, 40), maxLength: 120 - pool.length });
  return picks.chain((p) => fc.shuffledSubarray([...pool, ...p], { minLength: pool.length + p.length }));
}

const shuffled = <T>(values: T[]): fc.Arbitrary<T[]> => fc.shuffledSubarray(values, { minLength: values.length });
const as = (storage: TypedColumn['storage'], arff: TypedColumn['arff']) => (values: Cell[]) => ({ storage, arff, values });
const fraction = fc.integer({ min: 1, max: 999_999 }).map((k) => k / 1e6);
const WORDS = ['the', 'model', 'reads', 'a', 'column', 'of', 'values', 'quickly', 'late', 'train', 'data', 'green', 'river', 'stone', 'light', 'over'];
const uniqueInts = (min: number, max: number, minLength: number, maxLength: number) =>
  fc.uniqueArray(fc.integer({ min, max }), { minLength, maxLength });

const SHAPES: Shape[] = [
  {
    name: 'fractions spanning exactly 0 to 1',
    column: fc.array(fraction, { minLength: 38, maxLength: 118 }).chain((inner) => shuffled<Cell>([0, 1, ...inner])).map(as('double', 'numeric')),
    expected: 'numeric',
  },
  { name: 'two-valued floats 0.5 / 1.5', column: rowsOf<Cell>([0.5, 1.5]).map(as('double', 'numeric')), expected: 'numeric' },
  {
    name: 'integers with gaps',
    column: fc
      .tuple(fc.integer({ min: -100, max: 100 }), fc.array(fc.integer({ min: 2, max: 50 }), { minLength: 2, maxLength: 7 }))
      .chain(([start, gaps]) => rowsOf<Cell>(gaps.reduce((pool, g) => [...pool, pool[pool.length - 1] + g], [start])))
      .map(as('int', 'numeric')),
    expected: 'numeric',
  },
  {
    name: 'zero-inflated counts',
    column: fc
      .tuple(fc.integer({ min: 2, max: 40 }), fc.array(fc.oneof({ weight: 7, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 40 }) }), { minLength: 38, maxLength: 118 }))
      .chain(([big, rest]) => shuffled<Cell>([0, big, ...rest]))
      .map(as('int', 'numeric')),
    expected: 'numeric',
  },
  {
    name: 'mostly missing',
    column: fc
      .tuple(uniqueInts(1, 999, 3, 10), fc.integer({ min: 40, max: 110 }))
      .chain(([present, missing]) => shuffled<Cell>([...present.map((k) => k / 1000), ...Array<null>(missing).fill(null)]))
      .map(as('double', 'numeric')),
    expected: 'numeric',
  },
  {
    name: 'a numeric constant with missing values',
    column: fc
      .tuple(fc.integer({ min: -9999, max: 9999 }), fc.integer({ min: 20, max: 80 }), fc.integer({ min: 1, max: 40 }))
      .chain(([k, n, missing]) => shuffled<Cell>([...Array<number>(n).fill(k / 100), ...Array<null>(missing).fill(null)]))
      .map(as('double', 'numeric')),
    expected: 'constant',
  },
  {
    name: 'a text constant with missing values',
    column: fc
      .tuple(fc.constantFrom(...WORDS), fc.integer({ min: 20, max: 80 }), fc.integer({ min: 1, max: 40 }))
      .chain(([word, n, missing]) => shuffled<Cell>([...Array<string>(n).fill(word), ...Array<null>(missing).fill(null)]))
      .map(as('string', 'string')),
    expected: 'constant',
  },
  {
    name: 'text identifiers',
    column: uniqueInts(0, 1e6, 40, 120).map((ks) => ks.map((k) => `id-${k}`)).map(as('string', 'string')),
    expected: 'identifier',
  },
  {
    name: 'integer identifiers (a row number)',
    column: fc
      .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 40, max: 120 }))
      .chain(([start, n]) => shuffled<Cell>(Array.from({ length: n }, (_, i) => start + i)))
      .map(as('int', 'numeric')),
    expected: 'identifier',
  },
  {
    name: "codes with leading zeros ('08123')",
    column: fc
      .tuple(fc.integer({ min: 0, max: 9999 }), uniqueInts(0, 99_999, 2, 9))
      .map(([padded, others]) => [...new Set([padded, ...others])].map((k) => String(k).padStart(5, '0')))
      .chain((pool) => rowsOf<Cell>(pool))
      .map(as('string', 'string')),
    expected: 'categorical',
    warns: ['csv', 'jsonl'],
  },
  { name: 'yes/no', column: rowsOf<Cell>(['yes', 'no']).map(as('string', 'nominal')), expected: 'boolean' },
  { name: 'true/false', column: rowsOf<Cell>([true, false]).map(as('boolean', 'nominal')), expected: 'boolean' },
  {
    name: '0/1 stored as numbers',
    column: rowsOf<Cell>([0, 1]).map(as('int', 'numeric')),
    expected: { csv: 'boolean', jsonl: 'numeric', parquet: 'numeric', arff: 'numeric' },
  },
  {
    name: '0/1 as numbers, a nominal {0,1} attribute in ARFF',
    column: rowsOf<Cell>([0, 1]).map(as('int', 'nominal')),
    expected: { csv: 'boolean', jsonl: 'numeric', parquet: 'numeric', arff: 'boolean' },
  },
  {
    name: 'ISO dates and timestamps',
    column: fc
      .tuple(uniqueInts(0, 20_000, 2, 30), fc.boolean())
      .map(([days, withTime]) => days.map((d) => new Date(Date.UTC(2000, 0, 1) + d * 86_400_000 + (withTime ? d * 61_000 : 0)).toISOString()))
      .map((stamps) => stamps.map((s) => (s.endsWith('T00:00:00.000Z') ? s.slice(0, 10) : s)))
      .chain((pool) => rowsOf<Cell>(pool))
      .map(as('string', 'date')),
    expected: 'datetime',
  },
  {
    name: 'free text',
    column: fc
      .array(fc.array(fc.constantFrom(...WORDS), { minLength: 4, maxLength: 9 }), { minLength: 40, maxLength: 120 })
      .map((sentences) => sentences.map((words) => words.join(' ')))
      .map(as('string', 'string')),
    expected: 'text',
  },
];

const EXTENSION: Record<Format, string> = { csv: 'csv', jsonl: 'jsonl', parquet: 'parquet', arff: 'arff' };

async function inferred(format: Format, x: Omit<TypedColumn, 'name'>): Promise<{ kind: string | undefined; warned: boolean }> {
  const y: TypedColumn = { name: 'y', storage: 'string', arff: 'nominal', values: x.values.map((_, i) => (i % 2 ? 'a' : 'b')) };
  const path = write(`generated.${EXTENSION[format]}`, writeTable(format, [y, { name: 'x', ...x }]));
  const schema = inferSchema(await readTable(path, format === 'csv' ? { header: true, delimiter: ',' } : {}), { tasks: 'y' });
  const kind = schema.features.find((f) => f.name === 'x')?.kind ?? schema.excluded.find((e) => e.name === 'x')?.kind;
  return { kind, warned: schema.warnings.some((w) => w.code === 'leading-zeros' && w.column === 'x') };
}

describe('inferred kinds of generated columns, through CSV, JSON lines, Parquet and ARFF', () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      await fc.assert(
        fc.asyncProperty(shape.column, async (x) => {
          for (const format of FORMATS) {
            const expected = typeof shape.expected === 'string' ? shape.expected : shape.expected[format];
            const got = await inferred(format, x);
            assert.equal(got.kind, expected, `${format}: kind`);
            assert.equal(got.warned, shape.warns?.includes(format) ?? false, `${format}: leading-zeros warning`);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }
});
