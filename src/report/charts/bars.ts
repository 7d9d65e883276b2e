/** Horizontal bars, largest first: per-label F1, feature importance. */
import type { ChartSpec } from '../svg.js';

export interface Bar {
  label: string;
  value: number;
  /** Half-width of an error bar (a standard deviation), drawn when given. */
  error?: number;
}

export function barChart(title: string, bars: Bar[], valueTitle: string, domain?: [number, number]): ChartSpec {
  const values = bars.map((b) => ({ label: b.label, value: b.value, low: b.value - (b.error ?? 0), high: b.value + (b.error ?? 0) }));
  const order = bars.map((b) => b.label);
  const y = { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 240 } };
  const x = { field: 'value', type: 'quantitative', title: valueTitle, ...(domain ? { scale: { domain } } : {}) };
  const layers: object[] = [{ mark: { type: 'bar', color: '#0b5cad', height: { band: 0.75 } }, encoding: { x, y } }];
  if (bars.some((b) => b.error !== undefined)) {
    layers.push({ mark: { type: 'rule', color: '#333' }, encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, y } });
  }
  return { title, width: 260, height: Math.max(40, 18 * bars.length), data: { values }, layer: layers } as ChartSpec;
}
