/** The browser page at `/`: the files of web-files.ts, each at its path; the model runs in the page (onnxruntime-web). */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { webFiles } from '../web-files.js';

export function registerPage(app: FastifyInstance, context: ServerContext): void {
  const files = webFiles([...context.models.values()]);
  for (const [path, file] of files) {
    const urls = path === 'index.html' ? ['/', '/index.html'] : [`/${path}`];
    for (const url of urls) app.get(url, async (_req, reply) => reply.type(file.contentType).send(await file.read()));
  }
}
