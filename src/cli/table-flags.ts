/**
 * The flags that say how to read a table and what its columns are. `inspect` and `train` take the
 * same ones, so that what inspect shows is what train uses.
 */
import type { Command } from 'commander';
import type { TableSettings } from '../data/settings.js';
import { OptionError } from '../errors.js';
import { list } from './options.js';

export interface TableFlags {
  columns?: string;
  ignore?: string;
  kinds?: string;
  missing?: string;
  delimiter?: string;
  header?: boolean;
  format?: string;
}

export function addTableFlags(command: Command): Command {
  return command
    .option('--columns <names>', 'comma-separated column names, for files without a header')
    .option('--ignore <names>', 'comma-separated columns that are not features')
    .option('--kinds <list>', "declared kinds, e.g. 'zip=categorical,age=numeric'")
    .option('--missing <tokens>', 'comma-separated texts read as missing values (besides NA, N/A, null, ?, NaN and empty)')
    .option('--delimiter <char>', "field delimiter of a text file, '\\t' for tab (default: sniffed)")
    .option('--header', 'the first line of a text file names the columns')
    .option('--no-header', 'the first line of a text file is data')
    .option('--format <name>', 'read the file as csv, parquet, jsonl or arff whatever its name (default: from the name and content)');
}

export function tableSettings(flags: TableFlags): TableSettings {
  const s: TableSettings = {};
  if (flags.columns !== undefined) s.columns = list(flags.columns);
  if (flags.ignore !== undefined) s.ignore = list(flags.ignore);
  if (flags.kinds !== undefined) s.kinds = parseKinds(flags.kinds);
  if (flags.missing !== undefined) s.missing = list(flags.missing);
  if (flags.delimiter !== undefined) s.delimiter = flags.delimiter === '\\t' ? '\t' : flags.delimiter;
  if (flags.header !== undefined) s.header = flags.header;
  if (flags.format !== undefined) s.format = flags.format;
  return s;
}

/** 'zip=categorical,age=numeric'; the kinds themselves are checked by the schema inference. */
function parseKinds(text: string): Record<string, string> {
  const kinds: Record<string, string> = {};
  for (const part of list(text)) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) throw new OptionError('bad-kinds', `--kinds entry '${part}' must read column=kind`, { entry: part });
    kinds[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return kinds;
}
