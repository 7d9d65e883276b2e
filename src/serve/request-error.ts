/**
 * A request the server refuses: an HTTP status (4xx, or 503 when overloaded) and a message that
 * names what was wrong (the column, the row, the limit) so the caller can fix the request.
 */
import { PolyheadError } from '../errors.js';

export class RequestError extends PolyheadError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}

export const badRequest = (code: string, message: string, details: Record<string, unknown> = {}): RequestError =>
  new RequestError(400, code, message, details);
