/**
 * Fitting the feature plan: every statistic comes from the given training rows only.
 */
import type { FeatureColumn, Schema } from '../data/schema.js';
import type { Table } from '../data/table.js';
import { DataError, OptionError } from '../errors.js';
import { fitCategory, type CategoryStep } from './categorical.js';
import { findColumn, numericValues, resolveRows, stringView } from './columns.js';
import { fitDatetime, type DatetimeStep } from './datetime.js';
import { fitScaleStats, type NumericStep } from './numeric.js';
import { fitImage } from './image.js';
import { fitEdges } from './piecewise-linear.js';
import { autoNumericBins, resolveFeatureOptions, type FeatureOptions, type ResolvedFeatureOptions } from './options.js';
import { PLAN_FORMAT, PLAN_VERSION, planLayout, type DroppedFeature, type FeaturePlan } from './plan.js';
import { fitText, type TextStep } from './text.js';

type Step = NumericStep | CategoryStep | TextStep | DatetimeStep;

function fitColumn(table: Table, feature: FeatureColumn, rows: Int32Array, options: ResolvedFeatureOptions): Step | string {
  const column = findColumn(table, feature.name);
  switch (feature.kind) {
    case 'numeric': {
      const values = numericValues(column, rows);
      const stats = fitScaleStats(values, options);
      if (!stats) return 'no finite value in the training rows';
      const bins = options.numericBins === 'auto' ? autoNumericBins(rows.length) : options.numericBins;
      const edges = options.numericEncoding === 'piecewise-linear' ? fitEdges(values, bins) : null;
      return { kind: 'numeric', column: feature.name, ...stats, ...(edges ? { edges } : {}) };
    }
    case 'categorical':
    case 'boolean':
      return fitCategory(feature.kind, feature.name, stringView(column), rows, options);
    case 'text':
      return fitText(feature.name, stringView(column), rows, options);
    case 'datetime':
      return fitDatetime(feature.name, stringView(column), rows, options);
    case 'image':
      throw new OptionError('image-needs-async', `column '${feature.name}' is an image column: its files are read by fitFeatures (async), not fitFeaturePlan`, { column: feature.name });
  }
}

/**
 * Learns imputation values, scales, vocabularies and token buckets from `rows` (the training rows)
 * of `table`, for every feature column of `schema`. Columns that carry nothing are listed in
 * `dropped` with the reason. A plan may be left with no feature; `requireFeatures` refuses it for training.
 */
export function fitFeaturePlan(table: Table, schema: Schema, rows: Int32Array, options: FeatureOptions = {}): FeaturePlan {
  return fitTabular(table, schema, rows, options, schema.features);
}

/** fitFeaturePlan, and image columns too: their files are read (sizes, then pixels for the channel statistics). */
export async function fitFeatures(table: Table, schema: Schema, rows: Int32Array, options: FeatureOptions = {}): Promise<FeaturePlan> {
  const plan = fitTabular(table, schema, rows, options, schema.features.filter((f) => f.kind !== 'image'));
  const trainingRows = resolveRows(table, rows);
  for (const feature of schema.features) {
    if (feature.kind !== 'image') continue;
    const step = await fitImage(table, feature.name, trainingRows, plan.options);
    if (typeof step === 'string') plan.dropped.push({ column: feature.name, kind: 'image', reason: step });
    else plan.image.push(step);
  }
  return plan;
}

function fitTabular(table: Table, schema: Schema, rows: Int32Array, options: FeatureOptions, features: FeatureColumn[]): FeaturePlan {
  const resolved = resolveFeatureOptions(options);
  const trainingRows = resolveRows(table, rows);
  if (trainingRows.length === 0) {
    throw new OptionError('no-training-rows', `cannot fit a feature plan on 0 rows of '${table.source}'`);
  }
  const names = schema.features.map((f) => f.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new OptionError('duplicate-feature', `column '${twice}' is listed twice among the schema's features`, { column: twice });
  }
  const steps = { numeric: [] as NumericStep[], categorical: [] as CategoryStep[], text: [] as TextStep[], datetime: [] as DatetimeStep[] };
  const dropped: DroppedFeature[] = [];
  for (const feature of features) {
    const step = fitColumn(table, feature, trainingRows, resolved);
    if (typeof step === 'string') dropped.push({ column: feature.name, kind: feature.kind, reason: step });
    else if (step.kind === 'numeric') steps.numeric.push(step);
    else if (step.kind === 'text') steps.text.push(step);
    else if (step.kind === 'datetime') steps.datetime.push(step);
    else steps.categorical.push(step);
  }
  const layout = planLayout(steps);
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    options: resolved,
    trainingRows: trainingRows.length,
    ...steps,
    image: [],
    dropped,
    ...layout,
  };
}

/** A plan with no feature cannot train: the error names every column that is not one, and why. */
export function requireFeatures(plan: FeaturePlan, table: Table, schema: Schema): void {
  if (plan.numericNames.length === 0 && plan.categoricalFields.length === 0 && plan.image.length === 0) throw noFeatures(table, schema, plan.dropped);
}

function noFeatures(table: Table, schema: Schema, dropped: DroppedFeature[]): DataError {
  const excluded = schema.excluded.filter((c) => c.kind !== 'task');
  const why = [
    ...excluded.map((c) => `'${c.name}' (${c.reason.includes(c.kind) ? c.reason : `${c.kind}: ${c.reason}`})`),
    ...dropped.map((d) => `'${d.column}' (${d.kind}, dropped: ${d.reason})`),
  ];
  if (why.length === 0) {
    return new DataError('no-features', 'the table has no column besides the task labels: there is nothing to learn from', { file: table.source });
  }
  const shown = why.length > 12 ? [...why.slice(0, 12), `and ${why.length - 12} more`] : why;
  const example = (excluded.find((c) => c.kind === 'identifier') ?? excluded[0])?.name ?? dropped[0]!.column;
  return new DataError(
    'no-features',
    `no feature is left to learn from: ${shown.join('; ')}. Declare a kind to use a column anyway, e.g. --kinds ${example}=categorical`,
    { file: table.source },
    { excluded: excluded.map((c) => c.name), dropped: dropped.map((d) => d.column) },
  );
}
