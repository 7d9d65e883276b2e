/**
 * Starting the server as `polyhead serve` does: every model loaded (and its sha256 checked) before
 * the port opens, then listening, with SIGTERM/SIGINT closing gracefully: readiness turns false,
 * new connections are refused, in-flight requests finish, then the sessions are released.
 */
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { modelFolders } from './catalog.js';
import type { ServeOptions } from './options.js';
import { ServedModel } from './served-model.js';
import { buildServer, type LogLine } from './server.js';

export async function loadModels(paths: readonly string[], options: ServeOptions): Promise<ServedModel[]> {
  const models: ServedModel[] = [];
  try {
    for (const folder of await modelFolders(paths)) models.push(await ServedModel.load(folder, options));
  } catch (err) {
    for (const m of models) await m.release();
    throw err;
  }
  return models;
}

export async function startServer(paths: readonly string[], options: ServeOptions, log: LogLine): Promise<{ app: FastifyInstance; url: string }> {
  const models = await loadModels(paths, options);
  const app = await buildServer(models, options, log);
  const url = await app.listen({ host: options.host, port: options.port });
  closeWithGrace({ delay: options.shutdownGraceSeconds * 1000, logger: false }, async ({ signal, err }) => {
    log(err ? `closing after an internal error: ${err.name}` : `${signal}: closing, finishing in-flight requests`);
    await app.close();
    log('closed');
  });
  return { app, url };
}
