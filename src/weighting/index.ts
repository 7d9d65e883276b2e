/** Loss-weighting methods by name; adding one is its file, a line here and its test. */
import { OptionError } from '../errors.js';
import { alignedMtl } from './aligned-mtl.js';
import { cagrad } from './cagrad.js';
import { dbMtl } from './db-mtl.js';
import { dwa } from './dwa.js';
import { equal } from './equal.js';
import { famo } from './famo.js';
import { fixed } from './fixed.js';
import { gls } from './gls.js';
import { gradnorm } from './gradnorm.js';
import { imtlG } from './imtl-g.js';
import type { MethodState, WeighInput, WeightingMethod } from './method.js';
import { mgda } from './mgda.js';
import { nashMtl } from './nash-mtl.js';
import { pcgrad } from './pcgrad.js';
import { rlw } from './rlw.js';
import { upgrad } from './upgrad.js';
import { uw } from './uw.js';

export type { MethodState, WeighInput, WeighResult, WeightingMethod } from './method.js';
export { TaskAffinity, type AffinityState } from './affinity.js';

// `any`: each entry keeps its own option and state types; the Weighter binds them back together.
const registry: Record<string, WeightingMethod<any, any>> = Object.fromEntries(
  [equal, fixed, uw, dwa, gls, rlw, famo, gradnorm, mgda, pcgrad, cagrad, imtlG, alignedMtl, nashMtl, upgrad, dbMtl].map((m) => [m.name, m]),
);

export const WEIGHTINGS: readonly string[] = Object.keys(registry);

export function getWeighting(name: string): WeightingMethod<object, MethodState> {
  const m = registry[name];
  if (!m) throw new OptionError('unknown-weighting', `unknown weighting '${name}'; choose one of: ${WEIGHTINGS.join(', ')}`, { value: name, allowed: WEIGHTINGS });
  return m;
}

/** Validates a method's options (the boundary check); the message names the method and the bad field. */
export function parseWeightingOptions(name: string, options: unknown): object {
  const r = getWeighting(name).options.safeParse(options ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new OptionError('bad-weighting-option', `weighting '${name}' option '${issue.path.join('.') || '(options)'}': ${issue.message} (method options go in weightingOptions; on the command line --weighting-options '{"name":value}')`, { weighting: name, option: issue.path.join('.') });
}

/** A method bound to its validated options, holding its state between steps. */
export class Weighter {
  private constructor(
    readonly method: WeightingMethod<object, MethodState>,
    private readonly options: object,
    public state: MethodState,
  ) {}

  static create(name: string, options: unknown, tasks: number, seed: number): Weighter {
    const method = getWeighting(name);
    const parsed = parseWeightingOptions(name, options);
    return new Weighter(method, parsed, method.init(tasks, parsed, seed));
  }

  get needsGram(): boolean {
    return this.method.needsGram;
  }

  /** This step's coefficients; non-finite values (a degenerate G) fall back to 0 so a step never feeds NaN. */
  weigh(input: WeighInput): Float64Array {
    const { coefficients, state } = this.method.weigh(input, this.state, this.options);
    this.state = state;
    return coefficients.map((c, t) => (Number.isFinite(c) && input.present[t] ? c : 0));
  }
}
