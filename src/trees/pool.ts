/**
 * A small pool of worker threads for the trees learner. The learner stays synchronous: the main
 * thread posts a job (a kind and numeric arguments in shared memory), does part 0 of it itself, and
 * waits on Atomics for the workers' parts 1 .. parts - 1. A round holds dozens of histogram builds,
 * so jobs go through Atomics.wait/notify on a SharedArrayBuffer, not postMessage. Every array a job
 * reads or writes lives in a SharedArrayBuffer the pool handed out, named in the arguments by
 * [buffer id, type, byte offset, length]; a buffer reaches the workers once, on a MessagePort they
 * drain synchronously (receiveMessageOnPort) before the first job that needs it.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { TrainingError } from '../errors.js';

type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;
const TYPES = [Float64Array, Float32Array, Int32Array, Uint8Array] as const;
type TypedCtor = (typeof TYPES)[number];
type ViewOf = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Typed;
const bufferOf = (array: Typed): SharedArrayBuffer => array.buffer as unknown as SharedArrayBuffer;

/** Slots of the control block. */
const GEN = 0;
const KIND = 1;
const ARGS = 2;
const DONE = 3;
const FAILED = 4;
const REGISTERED = 5;
const READY = 6;
const STOP = -1;
const ERROR_BYTES = 4096;
/** An array reference in a job's arguments: buffer id, type, byte offset, length. */
const REF_LENGTH = 4;
/**
 * Checks of a counter before sleeping on it: a tree's jobs come in bursts (gather, histogram,
 * partition), and a thread put to sleep between them waits for the scheduler to wake it.
 */
const SPINS = 2000;
/** How long workers may take to load before training gives up on them. */
const START_TIMEOUT_MS = 120_000;

/**
 * The next piece of a job whose threads claim their pieces (row blocks, trees) from a shared
 * counter, reset before the job: each piece's result is the same whichever thread computes it, and
 * a thread that starts late or runs slow takes fewer.
 */
export const claimed = (claims: Int32Array): number => Atomics.add(claims, 0, 1);

/** Resolves the arrays a job's arguments name. */
export interface Arrays {
  view<T extends Typed>(args: Float64Array, at: number): T;
}

/** Runs part `part` of `parts` of a job; returns one number (a count, a split point) for the caller. */
export type Execute = (kind: number, args: Float64Array, part: number, parts: number, arrays: Arrays) => number;

interface Shared {
  control: SharedArrayBuffer;
  results: SharedArrayBuffer;
  error: SharedArrayBuffer;
  port: MessagePort;
  part: number;
  parts: number;
  marker: 'polyhead-trees';
}

class Registry implements Arrays {
  readonly buffers: SharedArrayBuffer[] = [];

  view<T extends Typed>(args: Float64Array, at: number): T {
    const Ctor = TYPES[args[at + 1]!]! as unknown as ViewOf;
    return new Ctor(this.buffers[args[at]!]!, args[at + 2]!, args[at + 3]!) as T;
  }
}

export class TreePool {
  private readonly control: Int32Array;
  private readonly results: Float64Array;
  private readonly error: Uint8Array;
  private readonly registry = new Registry();
  private readonly ids = new WeakMap<SharedArrayBuffer, number>();
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  private args = new Float64Array(0);
  /** The job posted and not yet joined. */
  private posted: number | null = null;

  private constructor(readonly parts: number, private readonly execute: Execute) {
    this.control = new Int32Array(new SharedArrayBuffer(8 * 4));
    this.results = new Float64Array(new SharedArrayBuffer(8 * parts));
    this.error = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
  }

  /** `parts` - 1 workers running `entry` (a module that calls serveTreePool with the same `execute`), started and waiting. */
  static open(parts: number, entry: URL, execute: Execute): TreePool {
    const pool = new TreePool(parts, execute);
    try {
      for (let part = 1; part < parts; part++) {
        const { port1, port2 } = new MessageChannel();
        const shared: Shared = { control: bufferOf(pool.control), results: bufferOf(pool.results), error: bufferOf(pool.error), port: port2, part, parts, marker: 'polyhead-trees' };
        const worker = new Worker(entry, { workerData: shared, transferList: [port2] });
        // A worker must never keep the process alive: close() ends them, unref() covers a caller that forgets.
        worker.unref();
        pool.workers.push(worker);
        pool.ports.push(port1);
      }
      const deadline = performance.now() + START_TIMEOUT_MS;
      for (let ready; (ready = Atomics.load(pool.control, READY)) < parts - 1;) {
        if (performance.now() > deadline) throw new TrainingError('tree-workers-start', `the trees learner's ${parts - 1} worker thread(s) did not start within ${START_TIMEOUT_MS / 1000} s; train with threads 1 (--tree-threads 1)`);
        Atomics.wait(pool.control, READY, ready, 100);
      }
      pool.failure();
    } catch (e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  /** A zeroed typed array in shared memory, known to the workers. */
  alloc<C extends TypedCtor>(Ctor: C, length: number): InstanceType<C> {
    const array = new (Ctor as unknown as ViewOf)(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT), 0, length) as InstanceType<C>;
    this.register(bufferOf(array));
    return array;
  }

  /** A copy of `array` in shared memory. */
  share<T extends Typed>(array: T): T {
    const copy = this.alloc(array.constructor as TypedCtor, array.length) as T;
    copy.set(array as never);
    return copy;
  }

  /** Writes [buffer id, type, byte offset, length] of `array` at `args[at]`. */
  ref(args: Float64Array, at: number, array: Typed): void {
    const id = this.ids.get(bufferOf(array));
    if (id === undefined) throw new TrainingError('tree-worker-buffer', 'internal: a trees job names an array outside the pool\'s shared memory');
    args[at] = id;
    args[at + 1] = TYPES.findIndex((C) => array instanceof C);
    args[at + 2] = array.byteOffset;
    args[at + 3] = array.length;
  }

  /** The job argument block, at least `length` long (its contents are not kept when it grows). */
  argsOf(length: number): Float64Array {
    if (this.args.length < length) this.args = this.alloc(Float64Array, Math.max(length, 2 * this.args.length, 256));
    return this.args;
  }

  /** Runs job `kind` on the arguments in argsOf(): part 0 here, the others on the workers; each part's result. */
  run(kind: number): Float64Array {
    this.post(kind);
    return this.join();
  }

  /**
   * Starts job `kind` on the workers alone: the main thread may do other work (without the pool)
   * until join() does part 0 and waits for the rest. A job whose parts claim their pieces of work
   * (`claimed`) then balances itself: the workers take what the main thread has not reached.
   */
  post(kind: number): void {
    if (this.posted !== null) throw new TrainingError('tree-pool-busy', 'internal: a trees job was posted while another was still out');
    const c = this.control;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, FAILED, 0);
    c[KIND] = kind;
    c[ARGS] = this.ids.get(bufferOf(this.args))!;
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    this.posted = kind;
  }

  /** Part 0 of the posted job here, then the workers' parts awaited; each part's result. */
  join(): Float64Array {
    const kind = this.posted;
    if (kind === null) throw new TrainingError('tree-pool-idle', 'internal: a trees job was joined that was never posted');
    this.posted = null;
    const c = this.control;
    let own: unknown = null;
    try {
      this.results[0] = this.execute(kind, this.args, 0, this.parts, this.registry);
    } catch (e) {
      own = e;
    }
    for (let done, spins = 0; (done = Atomics.load(c, DONE)) < this.parts - 1; spins++) if (spins >= SPINS) Atomics.wait(c, DONE, done);
    if (own) throw own;
    this.failure();
    return this.results;
  }

  /** Stops and ends the workers; safe to call twice. */
  close(): void {
    this.control[KIND] = STOP;
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    for (const w of this.workers.splice(0)) void w.terminate();
    for (const p of this.ports.splice(0)) p.close();
  }

  private register(buffer: SharedArrayBuffer): void {
    this.ids.set(buffer, this.registry.buffers.length);
    this.registry.buffers.push(buffer);
    for (const p of this.ports) p.postMessage(buffer);
    Atomics.store(this.control, REGISTERED, this.registry.buffers.length);
  }

  private failure(): void {
    if (Atomics.load(this.control, FAILED) === 0) return;
    const text = new TextDecoder().decode(this.error.slice()).replace(/\0+$/, '');
    throw new TrainingError('tree-worker-failed', `a trees worker thread failed: ${text}; train with threads 1 (--tree-threads 1) to see it in the main thread`);
  }
}

/** A job's argument writer: numbers and array references, one after another. */
export class JobWriter {
  at = 0;
  constructor(private readonly pool: TreePool, readonly args: Float64Array) {}
  num(...v: number[]): this {
    for (const x of v) this.args[this.at++] = x;
    return this;
  }
  list(v: ArrayLike<number>): this {
    this.num(v.length);
    for (let i = 0; i < v.length; i++) this.args[this.at++] = v[i]!;
    return this;
  }
  ref(a: Typed): this {
    this.pool.ref(this.args, this.at, a);
    this.at += REF_LENGTH;
    return this;
  }
}

/** The matching reader on the executing side. */
export class JobReader {
  at = 0;
  constructor(readonly args: Float64Array, private readonly arrays: Arrays) {}
  num(): number {
    return this.args[this.at++]!;
  }
  list<T extends Typed>(Ctor: new (n: number) => T): T {
    const out = new Ctor(this.num());
    for (let i = 0; i < out.length; i++) out[i] = this.args[this.at++]!;
    return out;
  }
  ref<T extends Typed>(): T {
    const v = this.arrays.view<T>(this.args, this.at);
    this.at += REF_LENGTH;
    return v;
  }
}

/** The worker side: waits for jobs and runs its part of each until the pool stops. */
export function serveTreePool(data: unknown, execute: Execute): void {
  const s = data as Shared;
  const c = new Int32Array(s.control);
  const results = new Float64Array(s.results);
  const registry = new Registry();
  const args = new Float64Array(4);
  let gen = Atomics.load(c, GEN);
  Atomics.add(c, READY, 1);
  Atomics.notify(c, READY);
  for (;;) {
    for (let spins = 0; Atomics.load(c, GEN) === gen; spins++) if (spins >= SPINS) Atomics.wait(c, GEN, gen);
    gen = Atomics.load(c, GEN);
    if (c[KIND] === STOP) return;
    try {
      // A buffer is posted before the count is raised, so its message is already queued.
      for (let m; registry.buffers.length < Atomics.load(c, REGISTERED);) if ((m = receiveMessageOnPort(s.port))) registry.buffers.push(m.message as SharedArrayBuffer);
      args[0] = c[ARGS]!;
      args[1] = 0;
      args[2] = 0;
      args[3] = registry.buffers[c[ARGS]!]!.byteLength / 8;
      results[s.part] = execute(c[KIND]!, registry.view<Float64Array>(args, 0), s.part, s.parts, registry);
    } catch (e) {
      const text = new TextEncoder().encode(e instanceof Error ? e.message : String(e)).subarray(0, ERROR_BYTES - 1);
      new Uint8Array(s.error).fill(0).set(text);
      Atomics.store(c, FAILED, 1);
    }
    Atomics.add(c, DONE, 1);
    Atomics.notify(c, DONE);
  }
}

export const isTreeWorker = (data: unknown): boolean => (data as Shared | null)?.marker === 'polyhead-trees';
