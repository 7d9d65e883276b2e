/**
 * Space files (JSON or YAML) override the default space parameter by parameter:
 *
 *   arch: [shared-bottom, mmoe]                 # a list: the choices
 *   lr: { low: 1e-4, high: 1e-2, log: true }    # a range (int: true for counts)
 *   experts: { low: 2, high: 8, int: true, when: { arch: [mmoe] } }
 *   hidden: { choices: [[64], [128, 64]] }
 *   epochs: 10                                  # a single value: fixed
 *   dropout: null                               # drop a default parameter
 *
 * Every name must be a training option, and every choice and range end a value that option accepts,
 * checked here, before any trial runs.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { OptionError } from '../errors.js';
import { trainOptionsSchema } from '../train/options.js';
import { checkSpace, type ParamValue, type SearchSpace, type SpaceParam } from './space.js';

/** Options that say what the data is rather than how to learn it: the same for every trial. */
const NOT_TUNABLE = new Set(['tasks', 'columns', 'ignore', 'kinds', 'missing', 'delimiter', 'header', 'format', 'splitColumn', 'test', 'validFraction', 'testFraction', 'force']);

const value = z.union([z.string(), z.number(), z.boolean(), z.array(z.number()), z.null()]);
const when = z.record(z.string(), z.array(value)).optional();
const entry = z.union([
  z.null(),
  value,
  z.array(value).min(1),
  z.object({ choices: z.array(value).min(1), when }).strict(),
  z.object({ low: z.number(), high: z.number(), log: z.boolean().default(false), int: z.boolean().default(false), when }).strict(),
]);
const fileSchema = z.record(z.string(), entry);

function toParam(name: string, e: Exclude<z.output<typeof entry>, null>): SpaceParam {
  // A list of numbers for a list-valued option is one fixed value, not a list of choices.
  const fixedList = (name === 'hidden' || name === 'towerHidden') && Array.isArray(e) && e.every((v) => typeof v === 'number');
  if (Array.isArray(e) && !fixedList) return { name, type: 'choice', choices: e as ParamValue[] };
  if (Array.isArray(e) || typeof e !== 'object') return { name, type: 'choice', choices: [e as ParamValue] };
  const cond = e.when ? { when: e.when } : {};
  return 'choices' in e ? { name, type: 'choice', choices: e.choices, ...cond } : { name, type: 'range', low: e.low, high: e.high, log: e.log, int: e.int, ...cond };
}

function checkValues(p: SpaceParam, file: string): void {
  const option = (trainOptionsSchema.shape as Record<string, z.ZodType>)[p.name];
  if (!option || NOT_TUNABLE.has(p.name)) {
    const allowed = Object.keys(trainOptionsSchema.shape).filter((k) => !NOT_TUNABLE.has(k));
    throw new OptionError('bad-space', `${file}: '${p.name}' is not a training option that can be tuned; choose among: ${allowed.join(', ')}`, { file, parameter: p.name });
  }
  const values = p.type === 'choice' ? p.choices.filter((v) => v !== null) : [p.low, p.high];
  for (const v of values) {
    const r = option.safeParse(v);
    if (!r.success) throw new OptionError('bad-space', `${file}: ${p.name} = ${JSON.stringify(v)} is not a valid value: ${r.error.issues[0]!.message}`, { file, parameter: p.name, value: v });
  }
}

/** The default space with the file's parameters laid over it (same name: replaced in place; new: appended). */
export function mergeSpace(defaults: SearchSpace, overrides: unknown, file: string): SearchSpace {
  const parsed = fileSchema.safeParse(overrides);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OptionError('bad-space', `${file}: ${issue.path.length ? `parameter '${issue.path.join('.')}': ` : ''}${issue.message}; a parameter is a list of choices, { low, high, log?, int?, when? }, { choices, when? }, one fixed value, or null`, { file });
  }
  const space = [...defaults];
  const given = new Set(Object.keys(parsed.data));
  for (const [name, e] of Object.entries(parsed.data)) {
    const at = space.findIndex((p) => p.name === name);
    if (e === null) {
      if (at >= 0) space.splice(at, 1);
      continue;
    }
    const param = toParam(name, e);
    checkValues(param, file);
    if (at >= 0) space[at] = param;
    else space.push(param);
  }
  // A default parameter conditioned on a value the file removed loses that part of its condition.
  const pruned = space.map((p) => (p.when && !given.has(p.name) ? { ...p, when: pruneWhen(p.when, space) } : p));
  return checkSpace(pruned, file);
}

function pruneWhen(when: Record<string, ParamValue[]>, space: SearchSpace): Record<string, ParamValue[]> {
  return Object.fromEntries(Object.entries(when).map(([name, values]) => {
    const by = space.find((p) => p.name === name);
    return [name, by?.type === 'choice' ? values.filter((v) => by.choices.some((c) => JSON.stringify(c) === JSON.stringify(v))) : values];
  }));
}

export async function readSpaceFile(file: string, defaults: SearchSpace): Promise<SearchSpace> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new OptionError('bad-space', `cannot read the space file ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, { file });
  });
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  let data: unknown;
  try {
    data = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new OptionError('bad-space', `${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`, { file });
  }
  return mergeSpace(defaults, data ?? {}, file);
}
