import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, ReadStatus } from '../../core/frame.js';
import { HeldValues } from './held-values.js';
import type { SampleTime } from './sample-time.js';
import type { Signal } from './signal.js';
import { parseCsvRecords } from './csv-records.js';
import { isDecimal, parseCsvTimeUs } from './csv-time.js';

type CsvValue = number | boolean | string;

/**
 * `csv: {path, time_column, value_column}`: a recorded signal read once, at construction, from a
 * CSV file with a header row. Holds the latest row's value at or before `t` (like `steps`), and
 * `NaN` (no reading yet) before the first row.
 *
 * Cells: the time is seconds or a duration (`1.5s`, `500ms`); rows must be in time order. A value
 * that is a decimal number becomes a number, `true`/`false` a boolean, anything else a string; an
 * empty value cell means "no reading" from that row's time on (`NaN`), so gaps in a recording make
 * the sensor go stale as it would live.
 *
 * @param baseDir `path` is resolved against it (normally the config file's directory).
 * @throws Error naming the file (and line) when the file cannot be read, lacks a column, or has a
 *   bad cell, a short or long row, or rows out of time order. The caller reports it as a config
 *   error.
 */
export class CsvSignal implements Signal {
  private readonly held: HeldValues;

  constructor(path: string, timeColumn: string, valueColumn: string, baseDir: string) {
    const file = resolve(baseDir, path);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read CSV signal file ${file}: ${(err as Error).message}`);
    }
    const [header, ...rows] = parseCsvRecords(text, file);
    if (header === undefined) throw new Error(`${file}: empty CSV file (expected a header row)`);
    const names = header.fields.map((f) => f.trim());
    const column = (name: string): number => {
      const i = names.indexOf(name);
      if (i < 0) throw new Error(`${file}:${header.line}: no column '${name}' in the header (columns: ${names.join(', ')})`);
      return i;
    };
    const timeIdx = column(timeColumn);
    const valueIdx = column(valueColumn);
    const timesUs = new Float64Array(rows.length);
    const values: CsvValue[] = [];
    let prevUs = -Infinity;
    rows.forEach((row, r) => {
      const where = `${file}:${row.line}`;
      if (row.fields.length !== names.length) {
        throw new Error(`${where}: ${row.fields.length} fields, the header has ${names.length}`);
      }
      const tUs = parseCsvTimeUs(row.fields[timeIdx] as string);
      if (typeof tUs === 'string') throw new Error(`${where}: column '${timeColumn}': ${tUs}`);
      if (tUs < prevUs) throw new Error(`${where}: rows must be in time order (${tUs} us comes after ${prevUs} us)`);
      prevUs = tUs;
      timesUs[r] = tUs;
      values.push(parseValue(row.fields[valueIdx] as string));
    });
    this.held = new HeldValues(timesUs, values);
  }

  valueAt(tUs: number): CsvValue {
    return this.held.valueAt(tUs) as CsvValue;
  }

  writeTo(at: SampleTime, frame: Frame, index: number): ReadStatus {
    return this.held.writeTo(at, frame, index);
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: the file is re-read at construction and lookups are by time.
  }
}

function parseValue(cell: string): CsvValue {
  const text = cell.trim();
  if (text === '') return NaN;
  if (isDecimal(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return cell;
}
