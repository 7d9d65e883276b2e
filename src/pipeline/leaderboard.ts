/**
 * The leaderboard of a fused run: every member and every fusion method, per task, on the rows the
 * fusion was fitted on (the held-out share) and on the test rows. A fusion's score on its own
 * fitting rows is in-sample, so its test score is the one to compare.
 */
import type { Task, TaskLabels } from '../data/schema.js';
import type { FusionSpec } from '../fusion/index.js';
import type { TaskEvaluation } from '../eval/task.js';
import { scoreTasks } from '../train/trainer.js';

export type MetricSummary = Record<string, number | null>;

export interface Scores {
  /** Per task, every metric the evaluation has. */
  tasks: Record<string, MetricSummary>;
  /** Mean over the tasks of the main metric, lower-is-better metrics negated (higher is better). */
  score: number;
}

export interface LeaderboardEntry {
  name: string;
  kind: 'member' | 'fusion';
  /** Training seconds (members). */
  seconds?: number;
  /** On the fusion's rows (for a fusion: in-sample). */
  valid: Scores;
  test: Scores | null;
  /** The fusion saved in model.onnx. */
  chosen?: boolean;
  /** auto: per task, the method it chose (with +macro-f1 for the decision rule). */
  methods?: Record<string, string>;
}

export interface Leaderboard {
  /** Per task, the main metric. */
  mainMetric: Record<string, string>;
  entries: LeaderboardEntry[];
}

export function summarize(e: TaskEvaluation): MetricSummary {
  const m = e.metrics as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === 'number' || v === null)) as MetricSummary;
}

export interface Evaluated {
  scores: Scores;
  evaluations: TaskEvaluation[];
  main: Record<string, { metric: string; value: number }>;
}

export function evaluate(tasks: readonly Task[], labels: TaskLabels[], probs: Float32Array[], metric?: string): Evaluated {
  const scored = scoreTasks({ tasks: tasks.map((t) => ({ name: t.name, type: t.type, outputs: t.classes.length })) }, labels, probs, metric);
  return {
    scores: { tasks: Object.fromEntries(scored.evaluations.map((e) => [e.task, summarize(e)])), score: scored.score },
    evaluations: scored.evaluations,
    main: scored.valid,
  };
}

/** The leaderboard's rows best first by test score (else by score on the fusion's rows). */
export function rank(entries: LeaderboardEntry[]): LeaderboardEntry[] {
  const key = (e: LeaderboardEntry): number => e.test?.score ?? e.valid.score;
  return [...entries].sort((a, b) => key(b) - key(a));
}

/** A fusion's row: its scores, whether it is the saved one, and what auto chose per task. */
export function fusionEntry(name: string, spec: FusionSpec, scores: Pick<LeaderboardEntry, 'valid' | 'test'>, chosen: boolean): LeaderboardEntry {
  const methods = chosenMethods(spec);
  return { name, kind: 'fusion', ...scores, ...(chosen ? { chosen: true } : {}), ...(methods ? { methods } : {}) };
}

/** Per task, the method an auto fusion chose, as the leaderboard names methods; null for other fusions. */
function chosenMethods(spec: FusionSpec): Record<string, string> | null {
  if (!spec.tasks.some((f) => f.choice)) return null;
  return Object.fromEntries(spec.tasks.map((f) => [f.task, f.choice ? `${f.choice.method}${f.choice.decision === 'argmax' ? '' : `+${f.choice.decision}`}` : spec.method]));
}
