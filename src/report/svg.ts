/**
 * Vega-Lite specs rendered to SVG text in Node (vega's headless 'none' renderer: no canvas, no
 * DOM), so the page needs no script. Vega escapes the text it writes into the SVG.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 600, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 13, fontWeight: 600, anchor: 'start' },
} as const;

export async function renderSvg(spec: ChartSpec): Promise<string> {
  const view = new View(parse(compile({ config: CONFIG, ...spec } as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers its SVG definitions (gradients, clip paths) from a counter that lives as long as
 * the process; renumbering them in order of appearance keeps ids unique within the page and the
 * page's bytes the same for the same model.
 */
export function stableIds(html: string): string {
  const seen = new Map<string, string>();
  return html.replace(/\b(gradient|clip|pattern)_(\d+)\b/g, (id, kind: string) => {
    if (!seen.has(id)) seen.set(id, `${kind}_${seen.size}`);
    return seen.get(id)!;
  });
}
