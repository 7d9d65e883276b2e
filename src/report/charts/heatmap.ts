/** A matrix as a heat map with its values written in the cells: confusion matrices, task affinity. */
import type { ChartSpec } from '../svg.js';

export interface HeatmapOptions {
  title: string;
  rowTitle: string;
  columnTitle: string;
  rows: string[];
  columns: string[];
  /** Colour per cell (null: left blank). */
  color: (number | null)[][];
  colorTitle: string;
  /** Text per cell. */
  text: string[][];
  /** Colour domain; a diverging scheme when it spans zero. */
  domain: [number, number];
}

export function heatmap(o: HeatmapOptions): ChartSpec {
  const values = o.rows.flatMap((r, i) => o.columns.map((c, j) => ({ row: r, column: c, color: o.color[i]![j], text: o.text[i]![j] })));
  const cell = Math.max(18, Math.min(60, Math.floor(360 / Math.max(o.rows.length, o.columns.length))));
  const diverging = o.domain[0] < 0;
  return {
    title: o.title,
    width: cell * o.columns.length,
    height: cell * o.rows.length,
    data: { values },
    encoding: {
      x: { field: 'column', type: 'nominal', sort: o.columns, title: o.columnTitle, axis: { labelAngle: -40, labelLimit: 140 } },
      y: { field: 'row', type: 'nominal', sort: o.rows, title: o.rowTitle, axis: { labelLimit: 140 } },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'color',
            type: 'quantitative',
            title: o.colorTitle,
            scale: diverging ? { scheme: 'redblue', domain: o.domain, domainMid: 0 } : { scheme: 'blues', domain: o.domain },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: cell < 26 ? 8 : 10 },
        encoding: {
          text: { field: 'text', type: 'nominal' },
          color: { condition: { test: `abs(datum.color) > ${(diverging ? 0.6 : 0.55) * Math.max(Math.abs(o.domain[0]), Math.abs(o.domain[1]))}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as ChartSpec;
}
