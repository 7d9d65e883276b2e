/**
 * The parts of model.json the report draws, read defensively: each part is parsed on its own
 * (zod safeParse), so a model without it, or from a version that shapes it differently, still
 * gets a report with the other sections. Field names, for the writers of model.json:
 *
 * - metrics.evaluation: TaskEvaluation[] (eval/task.ts), with confusion matrices;
 *   metrics.evaluatedOn, metrics.singleTask (per task, metric → value), metrics.baselineArch,
 *   metrics.deltaM;
 * - metrics.leaderboard: [{ name, kind?: 'member' | 'fusion' | 'model', metrics: per task,
 *   metric → value, deltaM? }], one entry per member and fusion method of a fused model, or a
 *   fused run's { entries: [{ name, kind, chosen?, valid: { tasks }, test: { tasks } | null }] }
 *   (drawn on the test rows when it has them);
 * - training.history: per epoch { epoch, trainLoss: number[] per task, valid: per task
 *   { metric, value } | null, best } (networks), or per round { round, trainLoss, validLoss?,
 *   validScore? } (trees); training.bestEpoch or training.bestRound;
 * - training.affinity: T×T mean cosines between task gradients, task order, null where unknown;
 * - trees.importance (or training.importance): per task [{ feature, gain, splits? }].
 */
import { z } from 'zod';

const metricValues = z.record(z.string(), z.number().nullable());
export type MetricValues = z.infer<typeof metricValues>;

const evaluation = z.array(
  z.object({
    task: z.string(),
    type: z.enum(['binary', 'multiclass', 'multilabel']),
    metrics: z.looseObject({ confusion: z.array(z.array(z.number())).optional(), labelAuc: z.array(z.number().nullable()).optional() }),
  }),
);

const entry = z.object({ name: z.string(), kind: z.string().optional(), metrics: z.record(z.string(), metricValues), deltaM: z.number().optional() });
const scores = z.object({ tasks: z.record(z.string(), metricValues) });
// What a fused run writes (pipeline/leaderboard.ts): entries scored on the fusion share and the test rows.
const fusedRun = z
  .object({
    entries: z.array(z.object({ name: z.string(), kind: z.string().optional(), chosen: z.boolean().optional(), valid: scores, test: scores.nullable() })),
  })
  .transform(({ entries }): z.infer<typeof entry>[] => entries.map((e) => ({ name: e.chosen ? `${e.name} (saved)` : e.name, ...(e.kind ? { kind: e.kind } : {}), metrics: (e.test ?? e.valid).tasks })));
const leaderboard = z.union([z.array(entry), fusedRun]);

const epochs = z.array(
  z.object({
    epoch: z.number(),
    trainLoss: z.array(z.number().nullable()),
    valid: z.record(z.string(), z.object({ metric: z.string(), value: z.number().nullable() })).nullable(),
  }),
);

const rounds = z.array(z.object({ round: z.number(), trainLoss: z.number(), validLoss: z.number().optional(), validScore: z.number().optional() }));

const affinity = z.array(z.array(z.number().nullable()));

const gain = z.record(z.string(), z.array(z.object({ feature: z.string(), gain: z.number(), splits: z.number().optional() })));

export interface TaskMetrics {
  task: string;
  type: 'binary' | 'multiclass' | 'multilabel';
  values: MetricValues;
  confusion?: number[][];
  labelAuc?: (number | null)[];
}

export interface ReportFields {
  evaluation: TaskMetrics[];
  evaluatedOn?: string;
  singleTask?: Record<string, MetricValues>;
  baselineArch?: string;
  deltaM?: number;
  leaderboard?: z.infer<typeof leaderboard>;
  epochs?: z.infer<typeof epochs>;
  rounds?: z.infer<typeof rounds>;
  best?: number;
  affinity?: z.infer<typeof affinity>;
  gain?: z.infer<typeof gain>;
}

const read = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** The report's view of a parsed model.json (any JSON value; missing parts are left out). */
export function readFields(json: unknown): ReportFields {
  const root = record(json);
  const metrics = record(root.metrics);
  const training = record(root.training);
  const evaluated = read(evaluation, metrics.evaluation) ?? [];
  const best = read(z.number(), training.bestEpoch) ?? read(z.number(), training.bestRound);
  const fields: ReportFields = {
    evaluation: evaluated.map(({ task, type, metrics: m }) => ({
      task,
      type,
      values: Object.fromEntries(Object.entries(m).filter((e): e is [string, number | null] => typeof e[1] === 'number' || e[1] === null)),
      ...(m.confusion ? { confusion: m.confusion } : {}),
      ...(m.labelAuc ? { labelAuc: m.labelAuc } : {}),
    })),
    evaluatedOn: read(z.string(), metrics.evaluatedOn),
    singleTask: read(z.record(z.string(), metricValues), metrics.singleTask),
    baselineArch: read(z.string(), metrics.baselineArch),
    deltaM: read(z.number(), metrics.deltaM),
    leaderboard: read(leaderboard, metrics.leaderboard),
    epochs: read(epochs, training.history),
    rounds: read(rounds, training.history),
    best,
    affinity: read(affinity, training.affinity),
    gain: read(gain, record(root.trees).importance) ?? read(gain, training.importance),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as ReportFields;
}
