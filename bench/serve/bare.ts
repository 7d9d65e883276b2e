/**
 * The ceiling for the serve bench: bare fastify POST routes at the paths of the three protocols that
 * parse the JSON body and answer a small JSON, no model, no validation, no limits. Prints its URL on
 * stderr like `polyhead serve`.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
app.post('/v1/predict', async (req) => ({ predictions: ((req.body as { rows: unknown[] }).rows ?? []).map(() => ({})) }));
app.post('/invocations', async (req) => ({ predictions: ((req.body as { dataframe_split: { data: unknown[] } }).dataframe_split?.data ?? []).map(() => ({})) }));
app.post('/v2/models/:name/infer', async (req) => ({ outputs: ((req.body as { inputs: unknown[] }).inputs ?? []).map(() => ({})) }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`serving on ${url}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
