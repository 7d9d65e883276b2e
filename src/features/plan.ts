/**
 * The FeaturePlan: everything learned from the training rows, as a plain JSON-serialisable object
 * with a format tag and a version. `parsePlan` is the one way back from JSON and refuses anything
 * it does not fully understand.
 *
 * Layout of the encoded output (JS and ONNX follow this one order):
 * - float block: numeric values (plan order; one column per bin when piecewise-linear), then their
 *   missing indicators, then each one-hot category, then each text column's buckets, then per
 *   datetime column its year, year:missing and one-hot parts;
 * - int block: each embedded category, then each datetime column's embedded parts;
 * - per image column, its own block (see image.ts).
 */
import { z } from 'zod';
import type { FeatureKind } from '../data/schema.js';
import { ModelError } from '../errors.js';
import { cardinalityOf, type CategoryStep } from './categorical.js';
import { PART_CARDINALITY, type DatetimePart, type DatetimeStep } from './datetime.js';
import type { ImageStep } from './image.js';
import type { NumericStep } from './numeric.js';
import { DEFAULT_FEATURE_OPTIONS, featureOptionsSchema, type ResolvedFeatureOptions } from './options.js';
import { numericNamesOf } from './piecewise-linear.js';
import type { TextStep } from './text.js';

export const PLAN_FORMAT = 'polyhead-feature-plan';
export const PLAN_VERSION = 1;

export interface DroppedFeature {
  column: string;
  kind: FeatureKind;
  reason: string;
}

export interface CategoricalField {
  name: string;
  /** Number of indices, the unknown bucket 0 included. */
  cardinality: number;
}

export interface FeaturePlan {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  options: ResolvedFeatureOptions;
  /** How many rows the plan was fitted on. */
  trainingRows: number;
  numeric: NumericStep[];
  categorical: CategoryStep[];
  text: TextStep[];
  datetime: DatetimeStep[];
  /** Image columns: each is its own model input, beside the float and int blocks. */
  image: ImageStep[];
  /** Feature columns that carry nothing (no values, no frequent category) and why. */
  dropped: DroppedFeature[];
  /** One name per float column of the encoded output. */
  numericNames: string[];
  /** One entry per int column of the encoded output. */
  categoricalFields: CategoricalField[];
}

const UNKNOWN = '<unknown>';
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Name of a datetime part's index: month 1..12, Sun..Sat, hour 0..23. */
function partValueName(part: DatetimePart, index: number): string {
  if (part === 'month') return String(index);
  return part === 'dayOfWeek' ? WEEKDAYS[index - 1]! : String(index - 1);
}

/** Names of the float columns and int fields, in the layout order above. */
export function planLayout(steps: Pick<FeaturePlan, 'numeric' | 'categorical' | 'text' | 'datetime'>): {
  numericNames: string[];
  categoricalFields: CategoricalField[];
} {
  const names: string[] = steps.numeric.flatMap(numericNamesOf);
  for (const s of steps.numeric) if (s.missingIndicator) names.push(`${s.column}:missing`);
  const fields: CategoricalField[] = [];
  for (const s of steps.categorical) {
    if (s.encoding === 'one-hot') names.push(`${s.column}=${UNKNOWN}`, ...s.vocabulary.map((v) => `${s.column}=${v}`));
    else fields.push({ name: s.column, cardinality: cardinalityOf(s) });
  }
  for (const s of steps.text) for (let k = 0; k < s.buckets; k++) names.push(`${s.column}:#${k}`);
  for (const s of steps.datetime) {
    names.push(`${s.column}:year`);
    if (s.year.missingIndicator) names.push(`${s.column}:year:missing`);
    for (const { part, encoding } of s.parts) {
      const name = `${s.column}:${part}`;
      if (encoding === 'one-hot') {
        names.push(`${name}=${UNKNOWN}`);
        for (let v = 1; v < PART_CARDINALITY[part]; v++) names.push(`${name}=${partValueName(part, v)}`);
      }
    }
  }
  for (const s of steps.datetime) {
    for (const { part, encoding } of s.parts) {
      if (encoding === 'embedding') fields.push({ name: `${s.column}:${part}`, cardinality: PART_CARDINALITY[part] });
    }
  }
  return { numericNames: names, categoricalFields: fields };
}

const scaleStats = {
  fill: z.number(),
  center: z.number(),
  scale: z.number(),
  missingIndicator: z.boolean(),
};
const encoding = z.enum(['one-hot', 'embedding']);

// Plans saved before the numeric encoding was an option are scaled, and stay readable as such.
const planOptionsSchema = featureOptionsSchema.extend({
  numericEncoding: featureOptionsSchema.shape.numericEncoding.default('scaled'),
  numericBins: featureOptionsSchema.shape.numericBins.default(DEFAULT_FEATURE_OPTIONS.numericBins),
  imageSize: featureOptionsSchema.shape.imageSize.default(DEFAULT_FEATURE_OPTIONS.imageSize),
  imageMissing: featureOptionsSchema.shape.imageMissing.default(DEFAULT_FEATURE_OPTIONS.imageMissing),
});
const channels = z.array(z.number().finite()).length(3);
const edges = z
  .array(z.number())
  .min(2)
  .refine((e) => e.every((v, i) => i === 0 || v > e[i - 1]!), { message: 'edges must be strictly increasing' });

const planSchema = z.strictObject({
  format: z.literal(PLAN_FORMAT),
  version: z.literal(PLAN_VERSION),
  options: planOptionsSchema,
  trainingRows: z.number().int().min(1),
  numeric: z.array(z.strictObject({ kind: z.literal('numeric'), column: z.string(), ...scaleStats, edges: edges.optional() })),
  categorical: z.array(
    z
      .strictObject({
        kind: z.enum(['categorical', 'boolean']),
        column: z.string(),
        vocabulary: z.array(z.string()).min(1),
        missingIndex: z.number().int().min(0),
        encoding,
      })
      .refine((s) => s.missingIndex <= s.vocabulary.length, { message: 'missingIndex is past the vocabulary' }),
  ),
  text: z.array(
    z
      .strictObject({
        kind: z.literal('text'),
        column: z.string(),
        buckets: z.number().int().min(1),
        bigrams: z.boolean(),
        weighting: z.enum(['count', 'log1p']),
        tokens: z.array(z.string().min(1)).min(1),
        tokenBuckets: z.array(z.number().int().min(0)),
      })
      .refine((s) => s.tokens.length === s.tokenBuckets.length && s.tokenBuckets.every((k) => k < s.buckets), {
        message: 'tokenBuckets must give one bucket below `buckets` per token',
      }),
  ),
  datetime: z.array(
    z.strictObject({
      kind: z.literal('datetime'),
      column: z.string(),
      year: z.strictObject(scaleStats),
      parts: z.array(z.strictObject({ part: z.enum(['month', 'dayOfWeek', 'hour']), encoding })),
    }),
  ),
  // Plans saved before image columns existed have none.
  image: z
    .array(
      z.strictObject({
        kind: z.literal('image'),
        column: z.string(),
        height: z.number().int().min(1),
        width: z.number().int().min(1),
        mean: channels,
        std: channels.refine((s) => s.every((v) => v > 0), { message: 'std must be positive' }),
        unreadable: z.enum(['error', 'missing']),
      }),
    )
    .default([]),
  dropped: z.array(z.strictObject({ column: z.string(), kind: z.enum(['numeric', 'categorical', 'boolean', 'text', 'datetime', 'image']), reason: z.string() })),
  numericNames: z.array(z.string()),
  categoricalFields: z.array(z.strictObject({ name: z.string(), cardinality: z.number().int().min(1) })),
});

/** The plan as JSON text. */
export function savePlan(plan: FeaturePlan): string {
  return JSON.stringify(plan);
}

function invalid(message: string, details: Record<string, unknown> = {}): ModelError {
  return new ModelError('plan-invalid', `feature plan is invalid: ${message}`, details);
}

/** Reads a plan from JSON text or a parsed object; throws ModelError on anything else. */
export function parsePlan(json: string | unknown): FeaturePlan {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw invalid(`not JSON (${(e as Error).message})`);
    }
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== PLAN_FORMAT) {
    throw new ModelError('plan-format', `not a feature plan: expected format '${PLAN_FORMAT}'`, {
      format: (value as { format?: unknown } | null)?.format,
    });
  }
  const version = (value as { version?: unknown }).version;
  if (version !== PLAN_VERSION) {
    throw new ModelError(
      'plan-version',
      `feature plan version ${JSON.stringify(version)} cannot be read; this polyhead reads version ${PLAN_VERSION}. Fit the plan again.`,
      { version, supported: [PLAN_VERSION] },
    );
  }
  const result = planSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalid(`${issue.path.join('.') || '(top level)'}: ${issue.message}`, { issues: result.error.issues });
  }
  const plan = result.data as FeaturePlan;
  const layout = planLayout(plan);
  if (JSON.stringify(layout.numericNames) !== JSON.stringify(plan.numericNames)) {
    throw invalid('numericNames do not match the steps');
  }
  if (JSON.stringify(layout.categoricalFields) !== JSON.stringify(plan.categoricalFields)) {
    throw invalid('categoricalFields do not match the steps');
  }
  return plan;
}
