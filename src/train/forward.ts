/**
 * The evaluation graph: the network built in inference mode (no dropout) with parameters as
 * inputs, so it is compiled once and fed the current parameters after each epoch.
 */
import { emitOnnx, Graph, type Tensor } from '../graph/index.js';
import { BuildContext, type ParamLayout } from '../nn/context.js';
import { CompiledModel, type RuntimeTensor, type SessionOptions } from '../runtime/session.js';

export class Forward {
  private constructor(
    private readonly session: CompiledModel,
    readonly outputNames: string[],
  ) {}

  /** `layout` is the training graph's, so the evaluation graph reads the same flat vector. */
  static async create(build: (ctx: BuildContext) => Record<string, Tensor>, layout: ParamLayout, options: SessionOptions = {}): Promise<Forward> {
    const g = new Graph();
    const ctx = new BuildContext(g, false, { kind: 'flat', layout });
    const outputs = build(ctx);
    for (const [name, t] of Object.entries(outputs)) g.output(name, t);
    const model = emitOnnx(g, 'forward');
    return new Forward(await CompiledModel.create(model.bytes, model.inputs, options), Object.keys(outputs));
  }

  run(batch: Record<string, RuntimeTensor>, params: Record<string, RuntimeTensor>): Promise<Record<string, RuntimeTensor>> {
    return this.session.run({ ...batch, ...params });
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
