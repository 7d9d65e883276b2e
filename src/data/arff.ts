/**
 * Weka ARFF: `@relation`, `@attribute name type` (numeric, real, integer, string, date, nominal
 * `{a,b}`), `@data` with dense or sparse (`{index value, ...}`) rows, `%` comments, '?' missing.
 * A MULAN/MEKA relation name such as `'musicout: -C -6'` declares label attributes: `-C -6` the last
 * six, `-C 6` the first six; they become `table.meta.labelColumns`.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { DataError } from '../errors.js';
import type { ColumnBuilder, MissingTokens } from './column-builder.js';
import { fileError } from './format.js';
import { TableBuilder } from './table-builder.js';
import type { Table } from './table.js';

interface Attribute {
  name: string;
  type: 'numeric' | 'nominal' | 'string' | 'date';
  nominal?: Set<string>;
  /** The value of an attribute a sparse row leaves out: 0, or a nominal attribute's first value. */
  sparseDefault: string;
}

export async function readArff(path: string, missing: MissingTokens, gzip: boolean): Promise<Table> {
  const table = new TableBuilder(path, missing);
  const attributes: Attribute[] = [];
  let columns: ColumnBuilder[] = [];
  let relation: string | undefined;
  let inData = false;
  let lineNumber = 0;
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = gzip ? file.pipe(createGunzip()) : file;
  const lines = createInterface({ input, crlfDelay: Infinity });
  const fail = (message: string): DataError => new DataError('malformed-arff', message, { file: path, line: lineNumber });
  try {
    for await (const raw of lines) {
      lineNumber++;
      const line = (lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
      if (line === '' || line.startsWith('%')) continue;
      if (inData) {
        const values = line.startsWith('{') ? sparseValues(line, attributes, fail) : splitValues(line, fail);
        if (values.length !== attributes.length) {
          throw new DataError(
            'ragged-row',
            `line ${lineNumber} has ${values.length} values, expected ${attributes.length} (one per @attribute)`,
            { file: path },
            { line: lineNumber, fields: values.length, expected: attributes.length },
          );
        }
        for (let j = 0; j < values.length; j++) pushValue(columns[j], attributes[j], values[j], fail);
        table.endRow(lineNumber);
        continue;
      }
      const keyword = line.split(/\s/, 1)[0].toLowerCase();
      const rest = line.slice(keyword.length).trim();
      if (keyword === '@relation') relation = unquote(rest);
      else if (keyword === '@attribute') attributes.push(parseAttribute(rest, fail));
      else if (keyword === '@data') {
        if (attributes.length === 0) throw fail('@data comes before any @attribute');
        columns = attributes.map((a) => {
          const column = table.addColumn(a.name, a.type === 'numeric' ? 'number' : 'string');
          column.declared = a.type === 'numeric' ? 'number' : a.type;
          return column;
        });
        inData = true;
      } else throw fail(`expected @relation, @attribute or @data, found ${JSON.stringify(line.slice(0, 40))}`);
    }
  } catch (err) {
    throw err instanceof DataError ? err : fileError(path, err);
  } finally {
    lines.close();
    input.destroy();
  }
  if (!inData) throw new DataError('malformed-arff', 'no @data section', { file: path });
  const labelColumns = relation === undefined ? undefined : labelsFromRelation(relation, attributes, path);
  return table.finish({ format: 'arff', ...(relation !== undefined ? { relation } : {}), ...(labelColumns ? { labelColumns } : {}) });
}

/** MEKA/MULAN `-C n`: n < 0 → the last |n| attributes are labels, n > 0 → the first n. */
export function labelsFromRelation(relation: string, attributes: { name: string }[], path = ''): string[] | undefined {
  const match = /(?:^|[\s:])-C\s+(-?\d+)/.exec(relation);
  if (!match) return undefined;
  const n = Number(match[1]);
  if (n === 0) return undefined;
  if (Math.abs(n) > attributes.length) {
    throw new DataError('malformed-arff', `the relation declares ${Math.abs(n)} labels (-C ${n}) but there are only ${attributes.length} attributes`, { file: path });
  }
  const names = attributes.map((a) => a.name);
  return n < 0 ? names.slice(names.length + n) : names.slice(0, n);
}

function parseAttribute(text: string, fail: (m: string) => DataError): Attribute {
  const [name, after] = takeName(text, fail);
  const spec = after.trim();
  if (spec.startsWith('{')) {
    if (!spec.endsWith('}')) throw fail(`nominal attribute '${name}' has no closing '}'`);
    const values = splitValues(spec.slice(1, -1), fail);
    return { name, type: 'nominal', nominal: new Set(values), sparseDefault: values[0] ?? '?' };
  }
  const type = spec.split(/\s/, 1)[0].toLowerCase();
  if (type === 'numeric' || type === 'real' || type === 'integer') return { name, type: 'numeric', sparseDefault: '0' };
  if (type === 'string') return { name, type: 'string', sparseDefault: '?' };
  if (type === 'date') return { name, type: 'date', sparseDefault: '?' };
  throw fail(`attribute '${name}' has type '${spec}'; supported: numeric, real, integer, string, date, {nominal values}`);
}

/** A possibly quoted name at the start of `text`, and the text after it. */
function takeName(text: string, fail: (m: string) => DataError): [string, string] {
  const q = text[0];
  if (q === "'" || q === '"') {
    let i = 1;
    let name = '';
    for (; i < text.length && text[i] !== q; i++) name += text[i] === '\\' ? text[++i] : text[i];
    if (i >= text.length) throw fail(`unclosed quote in attribute name ${text.slice(0, 40)}`);
    return [name, text.slice(i + 1)];
  }
  const match = /^(\S+?)(?=\s|\{|$)/.exec(text);
  if (!match) throw fail('@attribute without a name');
  return [match[1], text.slice(match[1].length)];
}

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === "'" || t[0] === '"') && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

/** Splits on commas outside quotes; fields are trimmed and unquoted ('?' stays the missing mark). */
function splitValues(text: string, fail: (m: string) => DataError): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const q = text[i];
    let value = '';
    if (q === "'" || q === '"') {
      i++;
      for (; i < text.length && text[i] !== q; i++) value += text[i] === '\\' ? text[++i] : text[i];
      if (i >= text.length) throw fail(`unclosed quote: ${text.slice(0, 60)}`);
      i++;
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (i < text.length && text[i] !== ',') throw fail(`text after a closing quote: ${text.slice(0, 60)}`);
    } else {
      const end = text.indexOf(',', i);
      value = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      i = end < 0 ? text.length : end;
    }
    out.push(value);
    i++;
  }
  return out;
}

/** `{3 1.5, 7 abc}`: listed attributes get their value, the others their sparse default. */
function sparseValues(line: string, attributes: Attribute[], fail: (m: string) => DataError): string[] {
  if (!line.endsWith('}')) throw fail('sparse row without a closing }');
  const values = attributes.map((a) => a.sparseDefault);
  const body = line.slice(1, -1).trim();
  if (body === '') return values;
  for (const entry of splitValues(body, fail)) {
    const match = /^(\d+)\s+(.*)$/s.exec(entry);
    if (!match) throw fail(`sparse entry '${entry}' is not 'index value'`);
    const index = Number(match[1]);
    if (index >= attributes.length) throw fail(`sparse index ${index} is past the last attribute (${attributes.length - 1})`);
    values[index] = unquote(match[2]);
  }
  return values;
}

function pushValue(column: ColumnBuilder, attribute: Attribute, value: string, fail: (m: string) => DataError): void {
  if (value === '?') {
    column.pushMissing();
    return;
  }
  if (attribute.nominal && !attribute.nominal.has(value)) {
    const allowed = [...attribute.nominal].slice(0, 10).join(', ');
    throw fail(`'${value}' is not a declared value of nominal attribute '${attribute.name}' {${allowed}}`);
  }
  if (!column.push(value)) throw fail(`attribute '${attribute.name}' is numeric but the value is '${value}'`);
}
