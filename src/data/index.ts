/** The data layer: read a table, infer its schema, encode labels, split rows. */
export type { Column, NumericColumn, StringColumn, Table, TableMeta } from './table.js';
export type * from './schema.js';
export { readTable, type ReadOptions } from './read.js';
export { detectFormat, type TableFormat } from './format.js';
export { DEFAULT_MISSING_TOKENS, parseNumber } from './column-builder.js';
export { columnStats, getColumn, numericValues, valueText, type ColumnStats } from './columns.js';
export { inferSchema, type InferOptions } from './infer.js';
export { defaultTaskSpecs, parseTaskSpecs, resolveTasks, type TaskSpec } from './tasks.js';
export { encodeLabels, labelCounts, sortClasses, unseenLabelWarning, type EncodedLabels } from './labels.js';
export { inferOptionsOf, readOptionsOf, type TableSettings } from './settings.js';
export { kFolds, splitFromColumn, splitRows, type Fold, type Split, type SplitOptions } from './split.js';
export { joinTable, readCombined, stackTables, type JoinSpec } from './combine.js';
