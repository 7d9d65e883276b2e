/**
 * The HTTP server: fastify with the limits set once here (body size, rows, header and request
 * timeouts, JSON depth, prototype poisoning, overload), errors answered as {"error": "..."}, and one
 * log line per request with only its method, path, status and time. The protocols are plugins in
 * routes/; they all decode into a ColumnBatch and predict through the model's micro-batcher.
 */
import { createServer } from 'node:http';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { jsonDepthExceeds } from './json-depth.js';
import type { ServeOptions } from './options.js';
import { badRequest, RequestError } from './request-error.js';
import { registerInvocations } from './routes/invocations.js';
import { registerPage } from './routes/page.js';
import { registerRows } from './routes/rows.js';
import { registerV2 } from './routes/v2.js';
import type { ServerContext } from './context.js';
import type { ServedModel } from './served-model.js';

export type LogLine = (line: string) => void;

const MAX_LOGGED_PATH = 200;

/** Whether text that fastify's safe parser refused is valid JSON all the same: then a prototype key refused it. */
function isPlainJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function errorMessage(err: FastifyError, options: ServeOptions): string {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return `the body is larger than the server's limit of ${options.bodyLimit} bytes; send fewer rows per request`;
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'this content-type is not accepted; send application/json (or text/csv to /invocations)';
  return err.message;
}

export async function buildServer(models: readonly ServedModel[], options: ServeOptions, log: LogLine): Promise<FastifyInstance> {
  let closing = false;
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    serverFactory: (handler) =>
      createServer(
        {
          requestTimeout: options.requestTimeoutMs,
          headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs),
          keepAliveTimeout: options.keepAliveTimeoutMs,
          // Node checks the two timeouts on this interval (30 s by default), which would stretch them.
          connectionsCheckingInterval: Math.max(50, Math.min(1000, options.headersTimeoutMs / 4)),
        },
        handler,
      ),
  });

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonDepthExceeds(body as string, options.maxJsonDepth)) {
      return done(badRequest('too-deep', `the JSON body nests deeper than ${options.maxJsonDepth} levels; send rows of plain values`), undefined);
    }
    parseJson(req, body as string, (err, value) => {
      if (err && isPlainJson(body as string)) return done(badRequest('prototype-key', "the body has a '__proto__' or 'constructor.prototype' key; such keys are refused"), undefined);
      done(err, value);
    });
  });
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    ...(options.maxHeapUsedBytes > 0 ? { maxHeapUsedBytes: options.maxHeapUsedBytes } : {}),
    retryAfter: options.retryAfterSeconds,
  });

  app.addHook('onResponse', (req, reply, done) => {
    const query = req.url.indexOf('?');
    const path = (query < 0 ? req.url : req.url.slice(0, query)).slice(0, MAX_LOGGED_PATH);
    log(`${req.method} ${path} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`);
    done();
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}; see GET /v2 and the README for the routes` });
  });
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err instanceof RequestError) {
      if (err.status === 503) void reply.header('Retry-After', String(options.retryAfterSeconds));
      return reply.status(err.status).send({ error: err.message });
    }
    const status = err.statusCode ?? 500;
    if (status === 503) return reply.status(503).send({ error: `the server is overloaded; retry after ${options.retryAfterSeconds} s` });
    if (status >= 400 && status < 500) return reply.status(status).send({ error: errorMessage(err, options) });
    log(`internal error: ${err.name}${err instanceof Error && 'code' in err ? ` [${String(err.code)}]` : ''}`);
    return reply.status(500).send({ error: 'internal error; the request was not answered' });
  });
  app.addHook('onClose', async () => {
    closing = true;
    for (const m of models) await m.release();
  });

  const context: ServerContext = {
    models: new Map(models.map((m) => [m.name, m])),
    options,
    ready: () => !closing,
  };
  registerV2(app, context);
  registerInvocations(app, context);
  registerRows(app, context);
  registerPage(app, context);
  app.addHook('preClose', async () => {
    closing = true;
  });
  return app;
}
