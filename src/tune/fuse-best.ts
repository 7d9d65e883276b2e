/**
 * `--fuse K`: the K best trials retrained, each into its own model folder under OUT.members, then
 * fused into the model folder OUT by the code behind `polyhead fuse` (pipeline/fuse-models.ts).
 * The fusion is fitted on the validation rows of the study's split: no member trained on them,
 * though each was early-stopped on them and the trials were ranked by them, so the fused model's
 * honest figures are those on the test rows (a fusion share carved from the training rows would
 * need trials trained without it; fuse-models.ts takes the members as saved folders).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PolyheadModel } from '../bundle/model.js';
import { TrainingError } from '../errors.js';
import { takeRows } from '../eval/permutation-importance.js';
import { fuseModels, type FuseReport } from '../pipeline/fuse-models.js';
import { parseTrainOptions, type TrainOptions } from '../train/options.js';
import { prepareData } from '../train/prepare.js';
import type { LeaderboardRow } from './leaderboard.js';
import { toTrainOptions } from './space.js';
import { trainModel, type TrainModelEvent, type TrainReport } from './trainer.js';

export interface FuseBestInput {
  data: string;
  out: string;
  /** The options every trial shared. */
  train: TrainOptions;
  leaderboard: LeaderboardRow[];
  k: number;
  method: string;
  onMember?: (row: LeaderboardRow, index: number, of: number) => void;
  onEvent?: (e: TrainModelEvent) => void;
}

export interface FusedBest {
  /** The retrained members, best trial first. */
  members: { trial: number; report: TrainReport }[];
  fused: FuseReport;
}

export const membersDir = (out: string): string => `${out}.members`;

/** The validation rows and the test rows of the study's split, as tables a saved model predicts. */
async function heldOutTables(data: string, train: TrainOptions) {
  const p = await prepareData(data, parseTrainOptions(train));
  if (!p.rows.valid) throw new TrainingError('fuse-no-validation', `--fuse fits the fusion on the validation rows, and ${data} has none with --valid-fraction ${train.validFraction ?? 0.1}; raise it`, { file: data });
  const test = p.rows.test ? (p.rows.test.rows ? takeRows(p.rows.test.table, p.rows.test.rows) : p.rows.test.table) : null;
  return { valid: { ...takeRows(p.table, p.rows.valid), source: `the validation rows of ${data}` }, test };
}

export async function fuseBest(input: FuseBestInput): Promise<FusedBest> {
  const picks = input.leaderboard.filter((r) => r.score !== null).slice(0, input.k);
  if (picks.length < 2) {
    throw new TrainingError('fuse-too-few', `--fuse ${input.k} needs at least two trials with a validation score, and the study has ${picks.length}; run more trials (--trials, --time-limit)`, { trials: picks.length });
  }
  // A network's checkpoint is written beside its folder, before the folder exists.
  await mkdir(membersDir(input.out), { recursive: true });
  const members: FusedBest['members'] = [];
  for (const [i, row] of picks.entries()) {
    input.onMember?.(row, i + 1, picks.length);
    const options = { ...input.train, ...toTrainOptions(row.params), baseline: false };
    const report = await trainModel(input.data, join(membersDir(input.out), `trial-${row.trial}`), options, input.onEvent ? { onEvent: input.onEvent } : {});
    members.push({ trial: row.trial, report });
  }
  const { valid, test } = await heldOutTables(input.data, input.train);
  const models: PolyheadModel[] = [];
  try {
    for (const m of members) models.push(await PolyheadModel.load(m.report.model, input.train.threads ?? 0));
    const onnx = await Promise.all(models.map(async (m) => new Uint8Array(await readFile(join(m.dir, 'model.onnx')))));
    const fused = await fuseModels({ models, onnx, data: valid, test, method: input.method, out: input.out });
    return { members, fused };
  } finally {
    for (const m of models) await m.release();
  }
}
