/**
 * The ceiling for the serve bench: a bare fastify POST route that parses the JSON body and answers a
 * small JSON, no model, no validation. Prints its URL on stderr like `polyhead serve`.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
app.post('/v1/predict', async (req) => ({ predictions: ((req.body as { rows: unknown[] }).rows ?? []).map(() => ({})) }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`serving on ${url}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
