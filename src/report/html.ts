/** The page's building blocks: escaping, tables, sections, and the one HTML document with inline CSS. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an element or a quoted attribute. Every column name and class label goes through it. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** HTML that is already safe (escaped text, or SVG from vega); a plain string is text to escape. */
export interface Html {
  html: string;
}

export const raw = (html: string): Html => ({ html });

export type Cell = string | Html | { value: Html | string; className: string };

const cellHtml = (tag: 'td' | 'th', cell: Cell): string => {
  if (typeof cell === 'string') return `<${tag}>${escapeHtml(cell)}</${tag}>`;
  if ('html' in cell) return `<${tag}>${cell.html}</${tag}>`;
  const inner = typeof cell.value === 'string' ? escapeHtml(cell.value) : cell.value.html;
  return `<${tag} class="${escapeHtml(cell.className)}">${inner}</${tag}>`;
};

export function table(header: Cell[], rows: Cell[][], className = ''): string {
  const head = `<thead><tr>${header.map((c) => cellHtml('th', c)).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((r) => `<tr>${r.map((c) => cellHtml('td', c)).join('')}</tr>`).join('')}</tbody>`;
  return `<table${className ? ` class="${className}"` : ''}>${head}${body}</table>`;
}

export const figure = (svg: string, caption: string): string => `<figure class="chart">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;

export const section = (id: string, title: string, body: string): string => `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>${body}</section>`;

export const note = (text: string): string => `<p class="note">${escapeHtml(text)}</p>`;

export const number = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

export const signed = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`);

const CSS = `
:root { color-scheme: light; --ink: #1d232b; --muted: #5b6672; --line: #dde2e8; --band: #f5f7f9; --good: #1a7f37; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
header { padding: 24px 32px 16px; border-bottom: 1px solid var(--line); background: var(--band); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 2px 0; color: var(--muted); }
nav { padding: 8px 32px; border-bottom: 1px solid var(--line); font-size: 13px; }
nav a { margin-right: 14px; color: #0b5cad; text-decoration: none; }
main { padding: 8px 32px 48px; max-width: 1400px; }
section { margin-top: 28px; }
h2 { font-size: 18px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 8px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { background: var(--band); font-weight: 600; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
td.main { font-weight: 700; }
td.good { color: var(--good); } td.bad { color: var(--bad); }
.charts { display: flex; flex-wrap: wrap; gap: 16px 28px; align-items: flex-start; }
figure.chart { margin: 0; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: var(--muted); max-width: 520px; }
.note { color: var(--muted); font-size: 13px; }
.warning { color: var(--bad); }
.big { font-size: 20px; font-weight: 700; }
`;

export function page(title: string, header: string, nav: Array<[string, string]>, body: string): string {
  const links = nav.map(([id, label]) => `<a href="#${escapeHtml(id)}">${escapeHtml(label)}</a>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>${header}</header>
<nav>${links}</nav>
<main>${body}</main>
</body>
</html>
`;
}
