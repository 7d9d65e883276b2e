import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mul, sumAll, square } from '../../src/graph/index.js';
import { adam, adamw, sgd, type Optimizer } from '../../src/train/optimizers/index.js';
import { Trainable } from '../../src/train/trainable.js';

const START = [1, -2, 0.5];
/** loss = Σ c·p + ½ Σ p², so the gradient is c + p: it changes with p, which tests state handling. */
const C = [0.3, -0.1, 2];

async function runSteps(optimizer: Optimizer, steps: number, lrs: number[], clipNorm?: number): Promise<Float32Array> {
  const t = await Trainable.create(
    {
      optimizer,
      ...(clipNorm !== undefined ? { clipNorm } : {}),
      build: (ctx) => {
        const p = ctx.param('p', [3], { kind: 'constant', value: 0 });
        const c = ctx.graph.constant(C, 'float32', [3]);
        return [sumAll(mul(p, c)), mul(sumAll(square(p)), 0.5)];
      },
    },
    new Map([['p', Float32Array.from(START)]]),
    { threads: 1 },
  );
  for (let i = 0; i < steps; i++) await t.run({}, lrs[i]!, Float32Array.of(1, 1));
  return t.parameters().get('p')!;
}

function close(actual: Float32Array, expected: number[]): void {
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i]! - e) <= 1e-5 * Math.max(1, Math.abs(e)), `p[${i}] = ${actual[i]}, expected ${e}`));
}

const gradAt = (p: number[]) => p.map((x, i) => C[i]! + x);

test('SGD with momentum matches hand-computed updates', async () => {
  let p = [...START];
  let buf = [0, 0, 0];
  for (const lr of [0.1, 0.05, 0.1]) {
    const g = gradAt(p);
    buf = buf.map((b, i) => 0.9 * b + g[i]!);
    p = p.map((x, i) => x - lr * buf[i]!);
  }
  close(await runSteps(sgd({ momentum: 0.9 }), 3, [0.1, 0.05, 0.1]), p);
});

test('SGD with Nesterov momentum matches hand-computed updates', async () => {
  let p = [...START];
  let buf = [0, 0, 0];
  for (let s = 0; s < 3; s++) {
    const g = gradAt(p);
    buf = buf.map((b, i) => 0.8 * b + g[i]!);
    p = p.map((x, i) => x - 0.1 * (g[i]! + 0.8 * buf[i]!));
  }
  close(await runSteps(sgd({ momentum: 0.8, nesterov: true }), 3, [0.1, 0.1, 0.1]), p);
});

function adamReference(steps: number, lr: number, wd: number, decoupled: boolean): number[] {
  let p = [...START];
  let m = [0, 0, 0];
  let v = [0, 0, 0];
  for (let t = 1; t <= steps; t++) {
    const g = gradAt(p).map((x, i) => x + (decoupled ? 0 : wd * p[i]!));
    if (decoupled) p = p.map((x) => x * (1 - lr * wd));
    m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]!);
    v = v.map((vi, i) => 0.999 * vi + 0.001 * g[i]! ** 2);
    p = p.map((x, i) => x - (lr / (1 - 0.9 ** t)) * m[i]! / (Math.sqrt(v[i]!) / Math.sqrt(1 - 0.999 ** t) + 1e-8));
  }
  return p;
}

test('Adam matches hand-computed updates (bias-corrected)', async () => {
  close(await runSteps(adam(), 4, [0.01, 0.01, 0.01, 0.01]), adamReference(4, 0.01, 0, false));
});

test('Adam with L2 weight decay matches hand-computed updates', async () => {
  close(await runSteps(adam({ weightDecay: 0.1 }), 3, [0.01, 0.01, 0.01]), adamReference(3, 0.01, 0.1, false));
});

test('AdamW decouples weight decay from the gradient', async () => {
  close(await runSteps(adamw({ weightDecay: 0.1 }), 3, [0.01, 0.01, 0.01]), adamReference(3, 0.01, 0.1, true));
});

test('gradient clipping by global norm scales the update', async () => {
  const g = gradAt(START);
  const norm = Math.hypot(...g);
  const scale = 0.5 / norm;
  close(await runSteps(sgd(), 1, [0.1], 0.5), START.map((x, i) => x - 0.1 * g[i]! * scale));
  close(await runSteps(sgd(), 1, [0.1], 100), START.map((x, i) => x - 0.1 * g[i]!));
});
