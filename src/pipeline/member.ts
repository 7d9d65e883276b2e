/** What training one member of a run hands back to the pipeline, whatever kind it is (network or trees). */
import type { MemberOnnx } from '../bundle/export-onnx.js';
import type { TaskEvaluation } from '../eval/task.js';
import type { TrainEvent } from '../train/trainer.js';

/** A boosting round, as the trees member reports it. */
export interface RoundEvent {
  event: 'round';
  round: number;
  trainLoss: number;
  validLoss?: number;
  validScore?: number;
}

/** A fused run starts member `index` (1-based) of `of`; `secondsLeft` under a time limit. */
export interface MemberEvent {
  event: 'member';
  index: number;
  of: number;
  secondsLeft?: number;
}

export type TrainModelEvent = (TrainEvent | RoundEvent | MemberEvent) & { model: string };

export interface Scored {
  evaluations: TaskEvaluation[];
  /** Per task, its main metric on the evaluated rows. */
  valid: Record<string, { metric: string; value: number }>;
  score: number;
}

export interface TrainedMember {
  arch: string;
  /** Evaluation on the test rows (else the validation rows); null without either. */
  scored: Scored | null;
  seconds: number;
  /** Best epoch (network) or round (trees), and how many were run. */
  best: number;
  iterations: number;
  unit: 'epoch' | 'round';
  /** The member as ONNX, from the raw columns to one probability tensor per task. */
  onnx(): MemberOnnx;
  /** The run's options as this member used them (model.json's `options`). */
  options: Record<string, unknown>;
  /** model.json's `training` record and the member's own description (`network` or `trees`). */
  training: Record<string, unknown>;
  description: { network: unknown } | { trees: Record<string, unknown> };
  /** Networks trained with a Gram-matrix method: mean cosine between task gradients, T × T. */
  affinity?: (number | null)[][];
  /** Trees: per task, the features with the largest total split gain, largest first. */
  topFeatures?: Record<string, { feature: string; gain: number; splits: number }[]>;
}

/** A member of a fused run, trained and predicted: what the fusion and the saved folder need. */
export interface FittedMember {
  arch: string;
  seconds: number;
  /** The member as exported (a bagged member: the mean of its fold models, in one graph). */
  onnx: MemberOnnx;
  /** Its model.json entry beyond arch, seconds and ONNX names: `training` and `network` or `trees` (bagged: `bag` and `folds`). */
  record: Record<string, unknown>;
  /** Per task, [rows × classes] on the rows the fusion is fitted on, and on the test rows. */
  fit: Float32Array[];
  test: Float32Array[] | null;
}
