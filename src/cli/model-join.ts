/**
 * The --join a model was trained with, given again to `predict` and `eval`. A model whose model.json
 * records a join refuses rows without it: its joined columns would all be missing, a silently worse
 * prediction. The key defaults to the recorded one and may not differ from it.
 */
import type { PolyheadModel } from '../bundle/model.js';
import { joinTable, readTable } from '../data/index.js';
import type { Table } from '../data/table.js';
import { DataError, OptionError } from '../errors.js';

export interface JoinFlags {
  join?: string;
  on?: string;
}

export interface ModelJoin {
  /** `table` with the joined columns added by key; unmatched rows are counted. */
  apply(table: Table): Table;
  /** The warning for rows whose key had no match so far, if any. */
  warning(): string | null;
}

/** The joined table a model needs, read once, or null for a model trained without --join. */
export async function joinForModel(model: PolyheadModel, flags: JoinFlags): Promise<ModelJoin | null> {
  const recorded = model.meta.join;
  if (!recorded) {
    if (flags.join !== undefined || flags.on !== undefined) {
      throw new OptionError('join-not-trained', `${model.dir} was trained without --join; drop --join and --on (the model reads only the columns of DATA)`, { model: model.dir });
    }
    return null;
  }
  const needs = `the columns ${recorded.columns.map((c) => `'${c}'`).join(', ')} of ${recorded.file} joined on '${recorded.on}'`;
  if (flags.join === undefined) {
    throw new OptionError('join-required', `${model.dir} was trained with ${needs}; give that table again: --join ${recorded.file} --on ${recorded.on}`, { model: model.dir, join: recorded.file, on: recorded.on });
  }
  const on = flags.on ?? recorded.on;
  if (on !== recorded.on) {
    throw new OptionError('join-key', `${model.dir} joins on '${recorded.on}', not '${on}'; use --on ${recorded.on}`, { model: model.dir, on, expected: recorded.on });
  }
  const other = await readTable(flags.join);
  const lacking = recorded.columns.filter((c) => !other.columns.some((x) => x.name === c));
  if (lacking.length > 0) {
    throw new DataError('join-columns', `the joined table lacks column${lacking.length > 1 ? 's' : ''} ${lacking.map((c) => `'${c}'`).join(', ')} that ${model.dir} was trained with (${needs})`, { file: flags.join });
  }
  let rows = 0;
  let unmatched = 0;
  let examples: string[] = [];
  return {
    apply(table) {
      const joined = joinTable(table, other, on);
      rows += table.rowCount;
      unmatched += joined.unmatched;
      if (examples.length === 0) examples = joined.examples;
      return joined.table;
    },
    warning: () => (unmatched === 0 ? null : `warning: ${unmatched} of ${rows} rows have no row in ${flags.join} for their '${on}' (${examples.join(', ')}${unmatched > examples.length ? ', ...' : ''}); their joined columns are missing values\n`),
  };
}
