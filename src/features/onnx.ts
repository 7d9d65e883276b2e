/**
 * The feature plan as an ONNX fragment whose inputs are the raw columns: numeric columns as float32
 * `[batch, 1]` (NaN = missing), image columns as uint8 `[batch, height, width, 3]` (RGB, already
 * decoded and resized by the caller), every other kind as string `[batch, 1]` ('' = missing).
 * Outputs: `numeric` float32 `[batch, numericWidth]` and `categorical` int64 `[batch, fields]`, each
 * left out when its width is 0, and per image column `image:NAME` float32 `[batch, 3, height, width]`.
 * Only standard ops (opset 21) and ai.onnx.ml LabelEncoder, Imputer, Scaler.
 */
import type { Table } from '../data/table.js';
import { GraphError } from '../errors.js';
import { makeNode, makeValueInfo, type OnnxFragment } from '../graph/onnx-proto.js';
import { categoryOutputToOnnx } from './categorical.js';
import { findColumn, numericValues, resolveRows, stringValues, stringView } from './columns.js';
import { encodeImage, imageInputName, imageToOnnx } from './image.js';
import { datetimeToOnnx, partToOnnx } from './datetime.js';
import { scaleToOnnx } from './numeric.js';
import { FragmentBuilder } from './onnx-builder.js';
import { piecewiseToOnnx } from './piecewise-linear.js';
import type { FeaturePlan } from './plan.js';
import { textToOnnx } from './text.js';

export interface RawInput {
  name: string;
  dtype: 'float32' | 'string';
}

export type RawColumnValues =
  | { name: string; dtype: 'float32'; values: Float32Array }
  | { name: string; dtype: 'string'; values: string[] };

/** An image column's input: uint8 RGB [batch, height, width, 3]. */
export interface ImageInput {
  name: string;
  dtype: 'uint8';
  shape: ['batch', number, number, 3];
}

export interface ImageValues {
  name: string;
  /** Row-major [rows, height, width, 3]. */
  values: Uint8Array;
  /** Of one row: [height, width, 3]. */
  shape: [number, number, 3];
}

export interface FragmentOptions {
  /** Prefix of every internal tensor and node name. Default 'fp/'. */
  prefix?: string;
  /** Output names. Defaults 'numeric' and 'categorical'. */
  numericOutput?: string;
  categoricalOutput?: string;
}

/** The raw inputs of the fragment, in a fixed order: numeric columns, then the string columns. */
export function rawInputsOf(plan: FeaturePlan): RawInput[] {
  const strings = [...plan.categorical, ...plan.text, ...plan.datetime].map((s) => s.column);
  return [
    ...plan.numeric.map((s) => ({ name: s.column, dtype: 'float32' as const })),
    ...strings.map((name) => ({ name, dtype: 'string' as const })),
  ];
}

/** Every input of the fragment with its shape, as model.json lists them: the raw columns, then the images. */
export interface ModelInput {
  name: string;
  dtype: 'float32' | 'string' | 'uint8';
  shape: Array<string | number>;
  /** Image inputs: what the caller must feed. */
  note?: string;
}

/** `graphInputs`: the names a graph declares; image columns it does not read (a trees member's) are left out. */
export function modelInputsOf(plan: FeaturePlan, graphInputs?: ReadonlyArray<{ name?: string | null }>): ModelInput[] {
  const read = graphInputs ? new Set(graphInputs.map((i) => i.name)) : null;
  return [
    ...rawInputsOf(plan).map((i) => ({ ...i, shape: ['batch', 1] })),
    ...imageInputsOf(plan).map((i) => ({
      ...i,
      note: `RGB bytes [batch, ${i.shape[1]}, ${i.shape[2]}, 3] (height, width, channel): the image decoded and resized (stretched) to ${i.shape[1]} x ${i.shape[2]} by the caller; the model normalises it`,
    })),
  ].filter((i) => read === null || i.dtype !== 'uint8' || read.has(i.name));
}

/** The image inputs of the fragment, after the raw inputs, in plan order. */
export function imageInputsOf(plan: FeaturePlan): ImageInput[] {
  return plan.image.map((s) => ({ name: s.column, dtype: 'uint8' as const, shape: ['batch', s.height, s.width, 3] as ImageInput['shape'] }));
}

/** The bytes of `rows` (all when omitted) for each input of `imageInputsOf(plan)` (or those named in `only`): the files decoded and resized. */
export async function imageValues(table: Table, plan: FeaturePlan, rows?: Int32Array, only?: ReadonlyArray<{ name: string }>): Promise<ImageValues[]> {
  const picked = resolveRows(table, rows);
  const out: ImageValues[] = [];
  for (const step of plan.image) {
    if (only && !only.some((i) => i.name === step.column)) continue;
    const block = await encodeImage(step, table, picked);
    out.push({ name: step.column, values: block.pixels, shape: [step.height, step.width, 3] });
  }
  return out;
}

/**
 * The raw values of `rows` (all when omitted) for each input of `rawInputsOf(plan)`, converted as
 * the JS path converts them: missing numbers are NaN, missing strings ''.
 */
export function rawColumnValues(table: Table, plan: FeaturePlan, rows?: Int32Array): RawColumnValues[] {
  const picked = resolveRows(table, rows);
  return rawInputsOf(plan).map(({ name, dtype }): RawColumnValues => {
    const column = findColumn(table, name);
    return dtype === 'float32'
      ? { name, dtype, values: numericValues(column, picked) }
      : { name, dtype, values: stringValues(stringView(column), picked) };
  });
}

/** Refuses raw column names that clash with a fragment's outputs or internal prefix. */
export function checkNames(inputs: ReadonlyArray<{ name: string }>, prefix: string, outputs: string[]): void {
  for (const { name } of inputs) {
    if (outputs.includes(name) || (prefix !== '' && name.startsWith(prefix))) {
      throw new GraphError(
        'name-clash',
        `column '${name}' clashes with the feature fragment's names (outputs ${outputs.join(', ')}, prefix '${prefix}'); pass other names in FragmentOptions`,
        { column: name, outputs, prefix },
      );
    }
  }
}

export function featurePlanToOnnx(plan: FeaturePlan, options: FragmentOptions = {}): OnnxFragment {
  const prefix = options.prefix ?? 'fp/';
  const numericOutput = options.numericOutput ?? 'numeric';
  const categoricalOutput = options.categoricalOutput ?? 'categorical';
  const inputs = rawInputsOf(plan);
  const images = imageInputsOf(plan);
  checkNames([...inputs, ...images], prefix, [numericOutput, categoricalOutput, ...plan.image.map((s) => imageInputName(s.column))]);
  const b = new FragmentBuilder(prefix);
  const floats: string[] = [];
  const ints: string[] = [];
  const clip = plan.options.clip;

  if (plan.numeric.length > 0) {
    const x = b.concat(plan.numeric.map((s) => s.column), 'numeric/raw');
    // A scaled-only plan keeps the Scaler graph it has always had.
    const encode = plan.numeric.some((s) => s.edges) ? piecewiseToOnnx : scaleToOnnx;
    const scaled = encode(b, x, plan.numeric, clip, 'numeric');
    floats.push(scaled.values, ...(scaled.indicators ? [scaled.indicators] : []));
  }
  for (const step of plan.categorical) {
    const out = categoryOutputToOnnx(b, step, step.column);
    (step.encoding === 'one-hot' ? floats : ints).push(out);
  }
  for (const step of plan.text) floats.push(textToOnnx(b, step, step.column));
  const datetimeInts: string[] = [];
  for (const step of plan.datetime) {
    const { year, parts } = datetimeToOnnx(b, step, step.column);
    const scaled = scaleToOnnx(b, year, [step.year], clip, `${step.column}/year`);
    floats.push(scaled.values, ...(scaled.indicators ? [scaled.indicators] : []));
    for (const part of step.parts) {
      const out = partToOnnx(b, step, part, parts[part.part]!);
      (part.encoding === 'one-hot' ? floats : datetimeInts).push(out);
    }
  }
  ints.push(...datetimeInts);

  const outputs = [];
  if (floats.length > 0) {
    join(b, floats, numericOutput);
    outputs.push(makeValueInfo(numericOutput, 'float32', ['batch', plan.numericNames.length]));
  }
  if (ints.length > 0) {
    join(b, ints, categoricalOutput);
    outputs.push(makeValueInfo(categoricalOutput, 'int64', ['batch', plan.categoricalFields.length]));
  }
  for (const step of plan.image) {
    const output = imageInputName(step.column);
    imageToOnnx(b, step, step.column, output);
    outputs.push(makeValueInfo(output, 'float32', ['batch', 3, step.height, step.width]));
  }
  return {
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [...inputs.map((i) => makeValueInfo(i.name, i.dtype, ['batch', 1])), ...images.map((i) => makeValueInfo(i.name, i.dtype, i.shape))],
    outputs,
  };
}

/** A Concat (or Identity for one piece) that writes the named output. */
function join(b: FragmentBuilder, pieces: string[], output: string): void {
  const attrs: Record<string, number> = pieces.length === 1 ? {} : { axis: 1 };
  b.nodes.push(makeNode(pieces.length === 1 ? 'Identity' : 'Concat', pieces, [output], attrs, b.name(`${output}/join`)));
}
