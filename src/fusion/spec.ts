/**
 * The FusionSpec: what a fitted fusion is, as plain JSON for model.json. The types are the schema's,
 * so what `parseFusionSpec` accepts on load is exactly what `fitFusion` writes.
 */
import { z } from 'zod';
import { ModelError } from '../errors.js';
import { MULTILABEL_METRICS, SINGLE_LABEL_METRICS, type MetricName } from '../eval/main-metric.js';

/** Which rows the fusion was fitted on; model.json says it, so a reader knows the scores are honest. */
export const FITTED_ON = ['out-of-fold', 'held-out'] as const;
export type FittedOn = (typeof FITTED_ON)[number];

const METRICS = [...new Set<MetricName>([...SINGLE_LABEL_METRICS, ...MULTILABEL_METRICS])] as [MetricName, ...MetricName[]];
const count = z.number().int().nonnegative();
const finite = z.array(z.number());

/** fusion/decision.ts: per-class offsets on the fused log probabilities (macro-F1 tasks), started from the priors to the power −α. */
const decisionSchema = z.object({ alpha: z.number().nonnegative(), offsets: finite }).strict();

/** auto (auto.ts): the method and decision chosen for the task, and every candidate's cross-validated main metric. */
const choiceSchema = z
  .object({
    method: z.string(),
    decision: z.enum(['argmax', 'macro-f1']),
    folds: count.positive(),
    metric: z.enum(METRICS),
    candidates: z.array(z.object({ method: z.string(), decision: z.enum(['argmax', 'macro-f1']), score: z.number() }).strict()),
  })
  .strict();

/** A convex combination of the members' probabilities (mean, select, best). */
const weightedSchema = z
  .object({
    task: z.string(),
    kind: z.literal('weighted'),
    /** Classes or labels of the task: the width of every member's and of the fused probabilities. */
    outputs: count.positive(),
    /** One per member, ≥ 0, summing to 1. */
    weights: z.array(z.number().nonnegative()),
    /** The validation metric the weights were chosen by (select, best). */
    metric: z.enum(METRICS).optional(),
    /** best: each member's score; select: the fused score after each kept iteration. */
    scores: finite.optional(),
    /** select: the member added at each kept iteration. */
    picks: z.array(count).optional(),
    decision: decisionSchema.optional(),
    choice: choiceSchema.optional(),
  })
  .strict();

/**
 * A logistic meta-learner. `softmax` (binary, multiclass): logits = [log p_1 … log p_M, x]·W + b over
 * the members' log-probabilities (and the passthrough features x), coefficients [(M·C) × C] and
 * passthrough [P × C] row-major. `sigmoid` (multi-label), per label k: logit q_k = Σ_m a[m,k]·logit(p_mk)
 * + x·V[:,k] + b_k, coefficients [M × K] and passthrough [P × K].
 */
const stackSchema = z
  .object({
    task: z.string(),
    kind: z.literal('stack'),
    link: z.enum(['softmax', 'sigmoid']),
    outputs: count.positive(),
    coefficients: finite,
    passthrough: finite,
    intercepts: finite,
    decision: decisionSchema.optional(),
    choice: choiceSchema.optional(),
  })
  .strict();

export const fusionSpecSchema = z
  .object({
    method: z.string(),
    members: count.positive(),
    /** Width of the raw (encoded numeric) features the stack also reads; 0 when none. */
    passthrough: count,
    fittedOn: z.enum(FITTED_ON),
    /** Rows the fusion was fitted on. */
    rows: count,
    /** In the order of the tasks. */
    tasks: z.array(z.discriminatedUnion('kind', [weightedSchema, stackSchema])).min(1),
  })
  .strict();

export type WeightedFusion = z.infer<typeof weightedSchema>;
export type StackFusion = z.infer<typeof stackSchema>;
export type TaskFusion = WeightedFusion | StackFusion;
export type FusionSpec = z.infer<typeof fusionSpecSchema>;

/** What is wrong with task fusion `f` of a spec with `members` members and `passthrough` features, if anything. */
function inconsistency(f: TaskFusion, members: number, passthrough: number): string | undefined {
  if (f.decision && f.decision.offsets.length !== f.outputs) return `${f.decision.offsets.length} decision offsets for ${f.outputs} classes`;
  if (f.decision && f.kind === 'stack' && f.link === 'sigmoid') return 'a decision rule on a multi-label stack';
  if (f.kind === 'weighted') {
    if (f.weights.length !== members) return `${f.weights.length} weights for ${members} members`;
    const sum = f.weights.reduce((a, b) => a + b, 0);
    return Math.abs(sum - 1) > 1e-9 ? `weights sum to ${sum}, not 1` : undefined;
  }
  const k = f.outputs;
  const expected = { coefficients: f.link === 'softmax' ? members * k * k : members * k, passthrough: passthrough * k, intercepts: k };
  for (const [field, size] of Object.entries(expected)) {
    const got = f[field as keyof typeof expected].length;
    if (got !== size) return `${got} ${field} where ${size} are expected`;
  }
  return undefined;
}

/** A FusionSpec read back from model.json: its shape, and sizes that agree with one another. */
export function parseFusionSpec(json: unknown, file = 'model.json'): FusionSpec {
  const r = fusionSpecSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ModelError('bad-fusion-spec', `${file}: fusion.${issue.path.join('.')}: ${issue.message}`, { file, path: issue.path });
  }
  for (const f of r.data.tasks) {
    const problem = inconsistency(f, r.data.members, r.data.passthrough);
    if (problem) throw new ModelError('bad-fusion-spec', `${file}: the fusion of task '${f.task}' has ${problem}; the model folder is damaged or from another version`, { file, task: f.task });
  }
  return r.data;
}
