/** The plainest protocol: POST /v1/predict with {"rows": [{column: value}]}. */
import type { FastifyInstance } from 'fastify';
import { decodeRecords } from '../decode/records.js';
import { badRequest } from '../request-error.js';
import { JSON_TYPE, pickModel, type ServerContext } from '../context.js';

export function registerRows(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Querystring: { model?: string }; Body: unknown }>('/v1/predict', async (req, reply) => {
    const m = pickModel(context, req.query.model);
    const body = req.body as { rows?: unknown } | null;
    if (typeof body !== 'object' || body === null || !('rows' in body)) throw badRequest('bad-body', 'the body must be JSON {"rows": [{column: value}, ...]}');
    const batch = decodeRecords(body.rows, m.rules, 'rows');
    const answer = m.answers.rows(await m.predict(batch));
    return reply.type(JSON_TYPE).send(answer);
  });
}
