import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvSignal } from '../../../../src/sensors/mock/csv-signal.js';
import { parseCsvRecords } from '../../../../src/sensors/mock/csv-records.js';
import { parseCsvTimeUs } from '../../../../src/sensors/mock/csv-time.js';
import type { Signal } from '../../../../src/sensors/mock/signal.js';

const dir = mkdtempSync(join(tmpdir(), 'spatia-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

describe('CsvSignal', () => {
  it('holds the latest row at or before t, NaN before the first row', () => {
    const file = csv('temps.csv', 'time,temp,note\n1,20.5,a\n2.5,21,b\n4,-3e1,c\n');
    const s = new CsvSignal(file, 'time', 'temp', dir);
    expect(
      [0, 999_999, 1_000_000, 2_499_999, 2_500_000, 3_999_999, 4_000_000, 100_000_000].map((t) => s.valueAt(t)),
    ).toEqual([NaN, NaN, 20.5, 20.5, 21, 21, -30, -30]);
  });

  it('reads duration times, CRLF, quoted fields, BOM, booleans, strings and empty cells', () => {
    const text =
      '\uFEFF"t", "value" ,other\r\n' +
      '500ms,true,x\r\n' +
      '1.5s,"say ""hi"", ok",y\r\n' +
      '"2s","multi\nline",z\r\n' +
      '3s,,w\r\n' +
      '\r\n' +
      '4s, 7 ,v\r\n';
    const s = new CsvSignal(csv('mixed.csv', text), 't', 'value', dir);
    expect([0, 500_000, 1_500_000, 2_000_000, 3_000_000, 4_000_000].map((t) => s.valueAt(t))).toEqual([
      NaN,
      true,
      'say "hi", ok',
      'multi\nline',
      NaN,
      7,
    ]);
  });

  it('resolves the path against baseDir', () => {
    csv('rel.csv', 't,v\n0,1\n');
    expect(new CsvSignal('./rel.csv', 't', 'v', dir).valueAt(0)).toBe(1);
    expect(new CsvSignal(join(dir, 'rel.csv'), 't', 'v', '/nonexistent').valueAt(0)).toBe(1);
  });

  it.each([
    ['missing.csv', null, 'missing.csv', /cannot read CSV signal file .*missing\.csv/],
    ['empty.csv', '', 'empty.csv', /empty\.csv: empty CSV file/],
    ['nocol.csv', 't,x\n0,1\n', 'nocol.csv', /nocol\.csv:1: no column 'v' in the header \(columns: t, x\)/],
    ['short.csv', 't,v\n0,1\n1\n', 'short.csv', /short\.csv:3: 1 fields, the header has 2/],
    ['badtime.csv', 't,v\n0,1\nsoon,2\n', 'badtime.csv', /badtime\.csv:3: column 't': 'soon' is not a time/],
    ['metres.csv', 't,v\n5m,2\n', 'metres.csv', /metres\.csv:2: .*'m' means metres/],
    ['order.csv', 't,v\n2,1\n1,2\n', 'order.csv', /order\.csv:3: rows must be in time order/],
    ['quote.csv', 't,v\n0,"open\n1,2\n', 'quote.csv', /quote\.csv:2: unterminated quoted field/],
    ['stray.csv', 't,v\n0,ab"c\n', 'stray.csv', /stray\.csv:2: a quote inside an unquoted field/],
    ['after.csv', 't,v\n0,1\n1,"a"b\n', 'after.csv', /after\.csv:3: unexpected character after a closing quote/],
  ])('rejects %s with file and line', (name, text, path, message) => {
    if (text !== null) csv(name, text);
    expect(() => new CsvSignal(path, 't', 'v', dir)).toThrow(message);
  });

  it('is stateless across snapshot/restore', () => {
    const s: Signal = new CsvSignal(csv('snap.csv', 't,v\n0,1\n1,2\n'), 't', 'v', dir);
    s.restore(s.snapshot());
    expect(s.valueAt(1_000_000)).toBe(2);
  });
});

describe('parseCsvRecords', () => {
  it('reports the line each record starts on, counting quoted line breaks', () => {
    const recs = parseCsvRecords('a,b\n"x\ny",1\n\nlast,2', 'f.csv');
    expect(recs).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x\ny', '1'], line: 2 },
      { fields: ['last', '2'], line: 5 },
    ]);
  });

  it('keeps an explicitly quoted empty record and empty trailing fields', () => {
    expect(parseCsvRecords('""\na,\n', 'f').map((r) => r.fields)).toEqual([[''], ['a', '']]);
  });
});

describe('parseCsvTimeUs', () => {
  it.each([
    ['0', 0],
    ['1.5', 1_500_000],
    ['0.1', 100_000],
    [' 2 ', 2_000_000],
    ['1e-3', 1_000],
    ['500ms', 500_000],
    ['1.5s', 1_500_000],
    ['250us', 250],
    ['250µs', 250],
    ['2min', 120_000_000],
    ['1h', 3_600_000_000],
    ['1d', 86_400_000_000],
    ['-1s', -1_000_000],
  ])('%s is %i us', (text, us) => {
    expect(parseCsvTimeUs(text)).toBe(us);
  });

  it.each([[''], ['abc'], ['0x10'], ['Infinity'], ['5m'], ['1.5 sec']])('%j is not a time', (text) => {
    expect(typeof parseCsvTimeUs(text)).toBe('string');
  });
});
