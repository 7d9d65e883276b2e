/**
 * Predictions as CSV: a label column per task (0/1 per label for multi-label), optionally
 * probabilities. Written a chunk of rows at a time, so a large file never becomes one string.
 *
 * Labels and class names come from user data and end up in spreadsheets, so a text cell that a
 * spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, tab or CR) is neutralised
 * as the OWASP CSV-injection guidance says: prefixed with `'` inside double quotes. A label '-5' is
 * such a text and becomes `"'-5"`; probabilities and 0/1 indicators are numbers and stay as they are.
 */
import type { Table } from '../data/table.js';
import type { PolyheadModel, TaskPrediction } from './model.js';
import type { ModelMetadata } from './metadata.js';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One text cell, quoted when needed and neutralised when it could start a formula. */
export function textCell(v: string): string {
  if (FORMULA_START.test(v)) return `"'${v.replace(/"/g, '""')}"`;
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function predictionsHeader(meta: ModelMetadata, withProbabilities: boolean): string {
  const header: string[] = [];
  meta.tasks.forEach((task) => {
    if (task.type === 'multilabel') header.push(...task.classes);
    else header.push(task.name);
    if (withProbabilities) header.push(...task.classes.map((c) => `${task.name}:p(${c})`));
  });
  return header.map(textCell).join(',') + '\n';
}

/** The lines of one chunk of predictions, each ending with a line end. */
export function predictionLines(meta: ModelMetadata, predictions: TaskPrediction[], withProbabilities: boolean): string {
  const n = predictions[0] ? predictions[0].probabilities.length / meta.tasks[0]!.classes.length : 0;
  // A label's cell is computed once per distinct label, not once per row.
  const cells = new Map<string, string>();
  const cellOf = (label: string): string => {
    let cell = cells.get(label);
    if (cell === undefined) cells.set(label, (cell = textCell(label)));
    return cell;
  };
  let out = '';
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    predictions.forEach((p, t) => {
      const k = meta.tasks[t]!.classes.length;
      if (p.labels instanceof BigInt64Array) for (let j = 0; j < k; j++) row.push(String(p.labels[i * k + j]));
      else row.push(cellOf(p.labels[i]!));
      if (withProbabilities) for (let j = 0; j < k; j++) row.push(p.probabilities[i * k + j]!.toPrecision(6));
    });
    out += row.join(',') + '\n';
  }
  return out;
}

/**
 * Predicts chunk after chunk and hands the CSV to `write` as it goes (the header with the first
 * chunk, so a file that fails at once gets nothing); returns the number of rows.
 */
export async function writePredictions(
  model: PolyheadModel,
  chunks: AsyncIterable<Table>,
  write: (text: string) => Promise<void>,
  withProbabilities: boolean,
): Promise<number> {
  let rows = 0;
  for await (const chunk of chunks) {
    const lines = predictionLines(model.meta, await model.predict(chunk), withProbabilities);
    await write(rows === 0 ? predictionsHeader(model.meta, withProbabilities) + lines : lines);
    rows += chunk.rowCount;
  }
  return rows;
}
