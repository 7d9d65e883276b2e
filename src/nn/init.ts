/** Initial parameter values, drawn from the run's seeded generator in declaration order. */
import type { Random } from '../util/random.js';
import type { ParamDef } from './context.js';

function fans(def: ParamDef): [number, number] {
  if (def.fans) return def.fans;
  const s = def.shape;
  if (s.length >= 2) return [s[s.length - 2]!, s[s.length - 1]!];
  return [s[0] ?? 1, s[0] ?? 1];
}

export function initParam(def: ParamDef, rng: Random): Float32Array {
  const size = def.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const [fanIn, fanOut] = fans(def);
  switch (def.init.kind) {
    case 'constant':
      out.fill(def.init.value);
      break;
    case 'normal':
      for (let i = 0; i < size; i++) out[i] = rng.normal(0, def.init.std);
      break;
    case 'glorot-uniform': {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) out[i] = rng.uniform(-a, a);
      break;
    }
    case 'he-uniform': {
      const a = Math.sqrt(6 / fanIn);
      for (let i = 0; i < size; i++) out[i] = rng.uniform(-a, a);
      break;
    }
  }
  return out;
}

export function initParams(defs: readonly ParamDef[], rng: Random): Map<string, Float32Array> {
  return new Map(defs.map((d) => [d.name, initParam(d, rng)]));
}
