/**
 * Every error a user can see is a PolyheadError: a stable `code` for machines, a message that says
 * what was wrong and how to fix it, and the data to act on in `details`.
 */
export class PolyheadError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Where in an input file a problem is; every field is optional because not every format has lines. */
export interface Location {
  file?: string;
  line?: number;
  column?: string;
}

export function formatLocation(loc: Location): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.column !== undefined) parts.push(`column '${loc.column}'`);
  return parts.join(', ');
}

/** Bad input data: unreadable, malformed or inconsistent files and columns. */
export class DataError extends PolyheadError {
  readonly location: Location;
  constructor(code: string, message: string, location: Location = {}, details: Record<string, unknown> = {}) {
    const where = formatLocation(location);
    super(code, where ? `${where}: ${message}` : message, { ...details, ...location });
    this.location = location;
  }
}

/** An option value (CLI flag, config field, API argument) that is not allowed. */
export class OptionError extends PolyheadError {}

/** A graph that cannot be built: shapes or dtypes that do not fit an op. */
export class GraphError extends PolyheadError {}

/** A run of a compiled graph refused because of its inputs (wrong names, shapes or dtypes). */
export class FeedError extends PolyheadError {}

/** A model folder that cannot be loaded: missing, corrupted or from an incompatible version. */
export class ModelError extends PolyheadError {}

/** Training that cannot go on (a non-finite loss, say). */
export class TrainingError extends PolyheadError {}
