/** What the routes share: the served models by name, the options, readiness; and which model a request means. */
import type { ServeOptions } from './options.js';
import { badRequest, RequestError } from './request-error.js';
import type { ServedModel } from './served-model.js';

export interface ServerContext {
  models: ReadonlyMap<string, ServedModel>;
  options: ServeOptions;
  /** False once shutdown has begun, so readiness says so while in-flight requests finish. */
  ready: () => boolean;
}

/** Route config of health checks: they answer even while the server sheds load, or an orchestrator would restart a busy server. */
export const HEALTH = { pressureHandler: () => undefined };

/** Answers are JSON text written by AnswerWriter; with this type fastify sends them as they are. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** The one model a route without a model name means: the only one served, or `?model=NAME`. */
export function pickModel(context: ServerContext, name: string | undefined): ServedModel {
  if (name !== undefined) {
    const m = context.models.get(name);
    if (!m) throw new RequestError(404, 'unknown-model', `model '${name}' is not served; models: ${[...context.models.keys()].join(', ')}`);
    return m;
  }
  if (context.models.size === 1) return context.models.values().next().value!;
  throw badRequest('model-required', `several models are served; add ?model=NAME (one of ${[...context.models.keys()].join(', ')})`);
}
