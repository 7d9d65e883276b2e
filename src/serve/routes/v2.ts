/** The Open Inference Protocol (KServe v2 REST, as Triton and MLServer speak it). */
import type { FastifyInstance } from 'fastify';
import { VERSION } from '../../version.js';
import { decodeV2 } from '../decode/v2.js';
import { HEALTH, JSON_TYPE, pickModel, type ServerContext } from '../context.js';
import { V2_DATATYPE } from '../signature.js';

type Named = { Params: { name: string } };

export function registerV2(app: FastifyInstance, context: ServerContext): void {
  app.get('/v2/health/live', { config: HEALTH }, async () => ({ live: true }));
  app.get('/v2/health/ready', { config: HEALTH }, async (_req, reply) => {
    const ready = context.ready() && [...context.models.values()].every((m) => m.alive);
    return reply.status(ready ? 200 : 503).send({ ready });
  });
  app.get('/v2', async () => ({ name: 'polyhead', version: VERSION, extensions: [] }));

  app.get<Named>('/v2/models/:name', async (req) => {
    const m = pickModel(context, req.params.name);
    const tensor = (t: { name: string; dtype: keyof typeof V2_DATATYPE; shape: number[] }) => ({ name: t.name, datatype: V2_DATATYPE[t.dtype], shape: t.shape });
    return {
      name: m.name,
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: m.signature.inputs.map(tensor),
      outputs: m.signature.outputs.map(tensor),
    };
  });
  app.get<Named>('/v2/models/:name/ready', { config: HEALTH }, async (req, reply) => {
    const m = pickModel(context, req.params.name);
    const ready = context.ready() && m.alive;
    return reply.status(ready ? 200 : 503).send({ name: m.name, ready });
  });
  app.post<Named>('/v2/models/:name/infer', async (req, reply) => {
    const m = pickModel(context, req.params.name);
    const request = decodeV2(req.body, m.rules);
    m.answers.checkOutputs(request.outputs);
    const answer = m.answers.v2(m.name, request.id, await m.predict(request.batch), request.outputs);
    return reply.type(JSON_TYPE).send(answer);
  });
}
