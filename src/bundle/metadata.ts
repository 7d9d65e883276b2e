/**
 * model.json: what a model folder promises. Validated on load (zod), including the size and sha256
 * of every other file loading reads and the format version, so a corrupted or incompatible folder is
 * refused with a reason.
 */
import { z } from 'zod';
import { VERSION } from '../version.js';

export const MODEL_FORMAT = 'polyhead-model';
/**
 * Bumped when model.json or model.onnx change incompatibly; loading refuses other versions.
 * 2: `files` records every file's size and sha256 (was `onnx.sha256`).
 */
export const MODEL_FORMAT_VERSION = 2;

/** The fields that open every model.json this build writes. */
export const formatFields = () => ({ format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, polyheadVersion: VERSION }) as const;

/** A plain file name inside the folder: no separator, no '.' or '..'. */
const fileName = z.string().regex(/^(?!\.\.?$)[A-Za-z0-9._-]+$/);

const taskSchema = z.object({
  name: z.string(),
  type: z.enum(['binary', 'multiclass', 'multilabel']),
  columns: z.array(z.string()),
  classes: z.array(z.string()),
});

export const modelMetadataSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.number().int(),
  polyheadVersion: z.string(),
  tasks: z.array(taskSchema).min(1),
  /** The fitted feature plan (plain JSON, parsed by features/parsePlan). */
  plan: z.unknown(),
  /** The network (architecture, sizes, tasks), enough to rebuild the graphs; absent for trees. */
  network: z.unknown().optional(),
  /** A trees member: mode, options, tree count, best round, per task the gain and splits of each feature. */
  trees: z.record(z.string(), z.unknown()).optional(),
  /** A fused model: each member's architecture, training record and description (network or trees). */
  members: z.array(z.object({ arch: z.string() }).passthrough()).optional(),
  /** A fused model: the method, which rows it was fitted on (held-out or out-of-fold) and the FusionSpec (fusion/spec.ts). */
  fusion: z.object({ method: z.string(), fittedOn: z.enum(['held-out', 'out-of-fold']), rows: z.number().int(), spec: z.unknown() }).passthrough().optional(),
  /** Trained with --join: the table joined by key to every row, which predict and eval need again. */
  join: z.object({ file: z.string(), on: z.string(), columns: z.array(z.string()) }).optional(),
  schema: z.unknown(),
  options: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
  training: z.record(z.string(), z.unknown()),
  versions: z.record(z.string(), z.string()),
  /** Every file of the folder besides model.json, by name. */
  files: z.record(fileName, z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })),
  onnx: z.object({
    file: z.literal('model.onnx'),
    /** Raw columns [batch, 1]; image columns uint8 [batch, height, width, 3] with a note saying what to feed. Older folders give no shape: [batch, 1]. */
    inputs: z.array(z.object({ name: z.string(), dtype: z.enum(['float32', 'string', 'uint8']), shape: z.array(z.union([z.string(), z.number().int()])).optional(), note: z.string().optional() })),
    outputs: z.array(z.object({ task: z.string(), probabilities: z.string(), label: z.string() })),
  }),
});

export type ModelMetadata = z.infer<typeof modelMetadataSchema>;
