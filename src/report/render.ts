/** The whole page from a ReportInput: pure, no model and no files, so tests can draw any model.json shape. */
import { escapeHtml, page } from './html.js';
import type { ReportInput } from './input.js';
import { dataSection } from './sections/data.js';
import { leaderboardSection, metricsSection } from './sections/metrics.js';
import { taskSections } from './sections/tasks.js';
import { trainingSection } from './sections/training.js';
import { stableIds } from './svg.js';

function header(input: ReportInput): string {
  const tasks = input.tasks.map((t) => `${t.name} (${t.type})`).join(', ');
  const data = input.data ? `Charts from ${input.data.source} (${input.data.rows.toLocaleString('en-US')} rows).` : (input.dataNote ?? '');
  return `<h1>polyhead report: ${escapeHtml(input.model)}</h1><p>${escapeHtml(`${input.arch} · tasks ${tasks}`)}</p><p>${escapeHtml(data)}</p><p>${escapeHtml(`polyhead ${input.polyheadVersion}`)}</p>`;
}

export async function renderReport(input: ReportInput): Promise<string> {
  const sections: Array<[string, string, string]> = [
    ['metrics', 'Metrics', metricsSection(input)],
    ['leaderboard', 'Leaderboard', leaderboardSection(input)],
    ...(await taskSections(input)).map((html, t): [string, string, string] => [`task-${t}`, input.tasks[t]!.name, html]),
    ['training', 'Training', await trainingSection(input)],
    ['data', 'Data', dataSection(input)],
  ];
  const shown = sections.filter(([, , html]) => html !== '');
  return page(`polyhead report: ${input.model}`, header(input), shown.map(([id, label]) => [id, label]), stableIds(shown.map(([, , html]) => html).join('\n')));
}
