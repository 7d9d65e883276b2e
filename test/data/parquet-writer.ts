/**
 * A minimal Parquet writer for test fixtures (no Parquet writer is installed): one row group, one
 * uncompressed PLAIN data page (v1) per column, optional columns with RLE definition levels. Footer
 * in the Thrift compact protocol. Enough for hyparquet to read back what we wrote.
 */

export type FixtureColumn =
  | { name: string; type: 'double'; values: Array<number | null> }
  | { name: string; type: 'int32'; values: Array<number | null> }
  | { name: string; type: 'string'; values: Array<string | null> }
  | { name: string; type: 'boolean'; values: Array<boolean | null> };

const PHYSICAL = { boolean: 0, int32: 1, double: 5, string: 6 } as const;

class Bytes {
  readonly out: number[] = [];
  byte(b: number): this {
    this.out.push(b & 0xff);
    return this;
  }
  varint(n: bigint | number): this {
    let v = BigInt(n);
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    return this.byte(Number(v));
  }
  zigzag(n: number): this {
    const v = BigInt(n);
    return this.varint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.byte(bytes[i]);
    return this;
  }
}

/** Thrift compact struct writer: field(id, type) headers with deltas, nested structs keep their own ids. */
class Thrift extends Bytes {
  private last: number[] = [0];
  private header(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1];
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else this.byte(type).zigzag(id);
    this.last[this.last.length - 1] = id;
  }
  i32(id: number, v: number): this {
    this.header(id, 5);
    return this.zigzag(v);
  }
  i64(id: number, v: number): this {
    this.header(id, 6);
    return this.zigzag(v);
  }
  str(id: number, s: string): this {
    this.header(id, 8);
    const b = Buffer.from(s, 'utf8');
    return this.varint(b.length).raw(b);
  }
  struct(id: number, body: (t: this) => void): this {
    this.header(id, 12);
    this.structBody(body);
    return this;
  }
  structBody(body: (t: this) => void): void {
    this.last.push(0);
    body(this);
    this.byte(0);
    this.last.pop();
  }
  list(id: number, elementType: number, size: number, items: (t: this) => void): this {
    this.header(id, 9);
    if (size < 15) this.byte((size << 4) | elementType);
    else this.byte(0xf0 | elementType).varint(size);
    items(this);
    return this;
  }
  end(): number[] {
    this.byte(0);
    return this.out;
  }
}

function plain(column: FixtureColumn): number[] {
  const b = new Bytes();
  const present = (column.values as unknown[]).filter((v) => v !== null);
  if (column.type === 'boolean') {
    const bits = new Array<number>(Math.ceil(present.length / 8)).fill(0);
    present.forEach((v, i) => (bits[i >> 3] |= (v ? 1 : 0) << (i & 7)));
    return bits;
  }
  for (const v of present) {
    if (column.type === 'double') {
      const buf = Buffer.alloc(8);
      buf.writeDoubleLE(v as number);
      b.raw(buf);
    } else if (column.type === 'int32') {
      const buf = Buffer.alloc(4);
      buf.writeInt32LE(v as number);
      b.raw(buf);
    } else {
      const s = Buffer.from(v as string, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(s.length);
      b.raw(len).raw(s);
    }
  }
  return b.out;
}

/** Definition levels (1 present, 0 null) as RLE runs, with the v1 page's 4-byte length prefix. */
function definitionLevels(values: unknown[]): number[] {
  const runs = new Bytes();
  for (let i = 0; i < values.length; ) {
    const level = values[i] === null ? 0 : 1;
    let j = i;
    while (j < values.length && (values[j] === null ? 0 : 1) === level) j++;
    runs.varint((j - i) << 1).byte(level);
    i = j;
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(runs.out.length);
  return [...len, ...runs.out];
}

export function writeParquet(columns: FixtureColumn[]): Uint8Array {
  const rows = columns[0].values.length;
  const file = new Bytes().raw(Buffer.from('PAR1'));
  const chunks: Array<{ column: FixtureColumn; offset: number; size: number; optional: boolean }> = [];
  for (const column of columns) {
    const optional = (column.values as unknown[]).some((v) => v === null);
    const body = [...(optional ? definitionLevels(column.values) : []), ...plain(column)];
    const header = new Thrift()
      .i32(1, 0)
      .i32(2, body.length)
      .i32(3, body.length)
      .struct(5, (t) => t.i32(1, rows).i32(2, 0).i32(3, 3).i32(4, 3))
      .end();
    chunks.push({ column, offset: file.out.length, size: header.length + body.length, optional });
    file.raw(header).raw(body);
  }
  const meta = new Thrift()
    .i32(1, 1)
    .list(2, 12, columns.length + 1, (t) => {
      t.structBody((s) => s.str(4, 'schema').i32(5, columns.length));
      for (const { column, optional } of chunks) {
        t.structBody((s) => {
          s.i32(1, PHYSICAL[column.type]).i32(3, optional ? 1 : 0).str(4, column.name);
          if (column.type === 'string') s.i32(6, 0);
        });
      }
    })
    .i64(3, rows)
    .list(4, 12, 1, (t) =>
      t.structBody((rg) => {
        rg.list(1, 12, chunks.length, (l) => {
          for (const c of chunks) {
            l.structBody((cc) =>
              cc.i64(2, c.offset).struct(3, (m) =>
                m
                  .i32(1, PHYSICAL[c.column.type])
                  .list(2, 5, 2, (e) => e.zigzag(0).zigzag(3))
                  .list(3, 8, 1, (p) => {
                    const name = Buffer.from(c.column.name, 'utf8');
                    p.varint(name.length).raw(name);
                  })
                  .i32(4, 0)
                  .i64(5, rows)
                  .i64(6, c.size)
                  .i64(7, c.size)
                  .i64(9, c.offset),
              ),
            );
          }
        });
        rg.i64(2, chunks.reduce((s, c) => s + c.size, 0)).i64(3, rows);
      }),
    )
    .end();
  const len = Buffer.alloc(4);
  len.writeUInt32LE(meta.length);
  file.raw(meta).raw(len).raw(Buffer.from('PAR1'));
  return Uint8Array.from(file.out);
}
