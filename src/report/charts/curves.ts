/** Line charts: learning curves, ROC curves, reliability diagrams. */
import type { CalibrationBin } from '../../eval/calibration.js';
import type { RocPoint } from '../../eval/roc-curve.js';
import type { ChartSpec } from '../svg.js';

export interface CurvePoint {
  x: number;
  y: number;
}

/** One learning-curve panel: a series over epochs (or rounds), the best one marked with a rule. */
function panel(points: CurvePoint[], xTitle: string, yTitle: string, best: number | undefined, color: string): object {
  const layers: object[] = [
    {
      data: { values: points },
      mark: { type: 'line', point: points.length < 60, color },
      encoding: { x: { field: 'x', type: 'quantitative', title: xTitle, axis: { tickMinStep: 1 } }, y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false } } },
    },
  ];
  if (best !== undefined) {
    layers.push({ data: { values: [{ x: best }] }, mark: { type: 'rule', color: '#b42318', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } });
    layers.push({ data: { values: [{ x: best, label: `best ${best}` }] }, mark: { type: 'text', color: '#b42318', align: 'left', dx: 4, baseline: 'top', y: 2 }, encoding: { x: { field: 'x', type: 'quantitative' }, text: { field: 'label' } } });
  }
  return { width: 240, height: 160, layer: layers };
}

/** Training loss and validation metric side by side, the best epoch marked in both. */
export function learningCurves(title: string, unit: string, loss: CurvePoint[], validation: CurvePoint[], validTitle: string, best: number | undefined): ChartSpec {
  const panels = [panel(loss, unit, 'training loss', best, '#0b5cad')];
  if (validation.length) panels.push(panel(validation, unit, validTitle, best, '#1a7f37'));
  return { title, hconcat: panels } as ChartSpec;
}

export function rocChart(title: string, points: RocPoint[], auc: number | null): ChartSpec {
  return {
    title,
    width: 240,
    height: 240,
    layer: [
      { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', color: '#aaa', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values: points.map((p) => ({ x: p.fpr, y: p.tpr })) },
        mark: { type: 'line', color: '#0b5cad', interpolate: 'linear' },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'false-positive rate', scale: { domain: [0, 1] } },
          y: { field: 'y', type: 'quantitative', title: 'true-positive rate', scale: { domain: [0, 1] } },
          order: { field: 'x' },
        },
      },
      { data: { values: [{ x: 0.98, y: 0.04, label: `AUC ${auc === null ? '—' : auc.toFixed(4)}` }] }, mark: { type: 'text', align: 'right', fontWeight: 600 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as ChartSpec;
}

export function reliabilityChart(title: string, bins: CalibrationBin[], xTitle: string): ChartSpec {
  const used = bins.filter((b) => b.count > 0).map((b) => ({ x: b.meanConfidence, y: b.observed, count: b.count }));
  return {
    title,
    width: 240,
    height: 240,
    layer: [
      { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', color: '#aaa', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values: used },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle, scale: { domain: [0, 1] } },
          y: { field: 'y', type: 'quantitative', title: 'observed frequency', scale: { domain: [0, 1] } },
        },
        layer: [
          { mark: { type: 'line', color: '#0b5cad' }, encoding: { order: { field: 'x' } } },
          { mark: { type: 'circle', color: '#0b5cad', opacity: 0.85 }, encoding: { size: { field: 'count', type: 'quantitative', title: 'rows', scale: { range: [15, 160] } } } },
        ],
      },
    ],
  } as ChartSpec;
}
