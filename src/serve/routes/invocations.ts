/** MLflow's scoring protocol: POST /invocations (dataframe_split, dataframe_records, text/csv) and GET /ping. */
import type { FastifyInstance } from 'fastify';
import type { ColumnBatch } from '../columns.js';
import { decodeCsv } from '../decode/csv.js';
import { decodeRecords } from '../decode/records.js';
import { decodeSplit } from '../decode/split.js';
import { badRequest } from '../request-error.js';
import type { ServedModel } from '../served-model.js';
import { HEALTH, JSON_TYPE, pickModel, type ServerContext } from '../context.js';

type Invocation = { Querystring: { model?: string }; Body: unknown };

function decode(body: unknown, m: ServedModel): ColumnBatch {
  if (typeof body === 'string') return decodeCsv(body, m.rules);
  const keys = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
  if (keys.length === 1 && keys[0] === 'dataframe_split') return decodeSplit((body as { dataframe_split: unknown }).dataframe_split, m.rules);
  if (keys.length === 1 && keys[0] === 'dataframe_records') return decodeRecords((body as { dataframe_records: unknown }).dataframe_records, m.rules, 'dataframe_records');
  throw badRequest('bad-body', 'the body must be JSON with one key, "dataframe_split" or "dataframe_records", or text/csv with a header line');
}

export function registerInvocations(app: FastifyInstance, context: ServerContext): void {
  app.get('/ping', { config: HEALTH }, async (_req, reply) => reply.status(context.ready() ? 200 : 503).send({ ready: context.ready() }));
  app.post<Invocation>('/invocations', async (req, reply) => {
    const m = pickModel(context, req.query.model);
    const batch = decode(req.body, m);
    const answer = m.answers.rows(await m.predict(batch));
    return reply.type(JSON_TYPE).send(answer);
  });
}
