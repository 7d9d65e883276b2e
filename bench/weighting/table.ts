/**
 * The bench's table, in Markdown so that it goes into the README as printed: a row per method with
 * each task's test main metric and Δm (mean ± sd over seeds), then its step time against equal's.
 */
import type { QualityResult } from './quality.js';
import type { StepTiming } from './step-time.js';

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const withSd = (xs: number[], digits: number): string => (xs.length < 2 ? xs[0]!.toFixed(digits) : `${mean(xs).toFixed(digits)} ± ${sd(xs).toFixed(digits)}`);

export function markdownTable(q: QualityResult, methods: readonly string[], timings: readonly StepTiming[], gramMethods: ReadonlySet<string>, gramOn: string): string {
  const other = gramOn === 'params' ? 'representation' : 'params';
  const timing = (method: string, on: string | null) => timings.find((t) => t.setting.weighting === method && t.setting.gramOn === on);
  const header = [
    'method', ...q.tasks.map((t) => `${t} (${q.mainMetric[t]})`), 'Δm %', 'ms/step', '× equal', `× equal, G on ${other}`,
  ];
  const rows: string[][] = [
    ['single-task', ...q.tasks.map((t) => withSd(q.seeds.map((s) => s.singleTask[t]!), 4)), '0', '', '', ''],
  ];
  for (const m of methods) {
    const runs = q.seeds.map((s) => s.methods[m]!);
    const own = timing(m, gramMethods.has(m) ? gramOn : null);
    const alt = gramMethods.has(m) ? timing(m, other) : undefined;
    rows.push([
      gramMethods.has(m) ? `${m} (G)` : m,
      ...q.tasks.map((t) => withSd(runs.map((r) => r.metrics[t]!), 4)),
      withSd(runs.map((r) => r.deltaM), 2),
      own ? own.msPerStep.toFixed(1) : '',
      own ? own.ratioToEqual.toFixed(2) : '',
      alt ? alt.ratioToEqual.toFixed(2) : '—',
    ]);
  }
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? ':--' : '--:'))), ...rows.map(line)].join('\n');
}

/** Step times alone (--timing-only): a row per method, G on each setting for the methods that read it. */
export function timingTable(methods: readonly string[], timings: readonly StepTiming[], gramMethods: ReadonlySet<string>): string {
  const cell = (m: string, on: string | null, f: (t: StepTiming) => string) => {
    const t = timings.find((x) => x.setting.weighting === m && x.setting.gramOn === on);
    return t ? f(t) : '—';
  };
  const header = ['method', 'ms/step', '× equal', 'ms/step, G on params', '× equal', 'ms/step, G on representation', '× equal'];
  const rows = methods.map((m) => {
    const g = gramMethods.has(m);
    const plain = (f: (t: StepTiming) => string) => (g ? '—' : cell(m, null, f));
    const on = (where: string, f: (t: StepTiming) => string) => (g ? cell(m, where, f) : '—');
    const ms = (t: StepTiming) => t.msPerStep.toFixed(1);
    const x = (t: StepTiming) => t.ratioToEqual.toFixed(2);
    return [g ? `${m} (G)` : m, plain(ms), plain(x), on('params', ms), on('params', x), on('representation', ms), on('representation', x)];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? ':--' : '--:'))), ...rows.map(line)].join('\n');
}
