/**
 * polyhead's public API. Everything else is internal and may change between versions.
 *
 *   const report = await trainModel('data.csv', 'model-dir', { tasks: 'a,b,c', arch: 'mmoe' });
 *   const model = await PolyheadModel.load('model-dir');
 *   const predictions = await model.predict(await readTable('new.csv'));
 *
 * Fusion: `trainModel(data, dir, { tasks, members: ['gbdt', 'mmoe'], fusion: 'stack', bag: 5 })` or
 * `{ preset: 'balanced' }` trains and fuses members into one model folder (its report has the
 * leaderboard); `fuseModelFolders(['a', 'b'], { data: 'held-out.csv', method: 'select', out: 'ab' })`
 * fuses saved folders.
 */
export { trainModel, type TrainReport, type TrainModelHooks, type TrainModelEvent, type MetricSummary } from './pipeline/train-model.js';
export type { TrainOptions } from './train/options.js';
export { PRESETS } from './train/options.js';
export { fuseModelFolders, type FuseFoldersOptions, type FuseReport } from './pipeline/fuse-models.js';
export type { Leaderboard, LeaderboardEntry, Scores } from './pipeline/leaderboard.js';
export { FUSION_METHODS } from './fusion/index.js';
export { PolyheadModel, type TaskPrediction } from './bundle/model.js';
export { evaluateModel, type ModelEvaluation } from './bundle/evaluate-model.js';
export type { ModelMetadata } from './bundle/metadata.js';
export { readTable, type ReadOptions } from './data/read.js';
export { inferSchema, type InferOptions } from './data/infer.js';
export type { Table, Column } from './data/table.js';
export type { Schema, Task, FeatureColumn, ExcludedColumn, SchemaWarning } from './data/schema.js';
export { ARCHITECTURES } from './arch/index.js';
export { DataError, FeedError, GraphError, ModelError, OptionError, PolyheadError, TrainingError } from './errors.js';
export { VERSION } from './version.js';
