import { describe, expect, it } from 'vitest';
import type { ValueType } from '../../../../src/config/model.js';
import { coerceValue } from '../../../../src/sensors/serial/coerce-value.js';
import { parseEntityRecords } from '../../../../src/sensors/serial/parse-entity-records.js';
import { parseJson } from '../../../../src/sensors/serial/parse-json.js';
import { parseLine } from '../../../../src/sensors/serial/parse-line.js';
import { parseRegex } from '../../../../src/sensors/serial/parse-regex.js';
import { type ParseResult, quoteLine } from '../../../../src/sensors/serial/parse-result.js';

/** `value` for a reading, `garbage: <reason fragment>`, `skip`. */
function brief(r: ParseResult): unknown {
  return r.kind === 'value' ? r.value : r.kind === 'garbage' ? `garbage: ${r.reason}` : 'skip';
}

describe('coerceValue', () => {
  it.each<[unknown, ValueType, unknown]>([
    [21.5, 'number', 21.5],
    [' -12.5 ', 'number', -12.5],
    ['1e3', 'number', 1000],
    ['.5', 'number', 0.5],
    ['0x10', 'number', 'garbage: not a number'],
    ['', 'number', 'garbage: not a number'],
    ['12abc', 'number', 'garbage: not a number'],
    ['Infinity', 'number', 'garbage: not a number'],
    [Number.NaN, 'number', 'garbage: NaN is not a finite number'],
    [true, 'number', 'garbage: expected a number, got true'],
    [{ a: 1 }, 'number', 'garbage: expected a number, got an object'],
    [null, 'number', 'garbage: expected a number, got null'],
    [true, 'boolean', true],
    [0, 'boolean', false],
    ['ON', 'boolean', true],
    ['no', 'boolean', false],
    ['2', 'boolean', 'garbage: not a boolean (true/false, on/off, yes/no, 1/0)'],
    [[1], 'boolean', 'garbage: expected a boolean, got an array'],
    ['text', 'string', 'text'],
    [42, 'string', '42'],
    [{ a: 1 }, 'string', 'garbage: expected a string, got an object'],
    [{ a: [1, null] }, 'json', { a: [1, null] }],
  ])('%j as %s -> %j', (v, type, expected) => {
    expect(brief(coerceValue(v, type))).toEqual(expected);
  });
});

describe('parseLine', () => {
  it.each<[string, ValueType, unknown]>([
    ['  23.75\r', 'number', 23.75],
    ['23.7 C', 'number', 'garbage: not a number'],
    ['\uFFFD\uFFFD', 'number', 'garbage: not a number'],
    ['  hello world ', 'string', 'hello world'],
    ['1', 'boolean', true],
    ['{"a":1}', 'json', '{"a":1}'],
  ])('%j as %s -> %j', (line, type, expected) => {
    expect(brief(parseLine(line, type))).toEqual(expected);
  });
});

describe('parseJson', () => {
  it.each<[string, string | undefined, ValueType, unknown]>([
    ['{"t": 21.5}', 't', 'number', 21.5],
    ['{"env": {"temp": 19}}', 'env.temp', 'number', 19],
    ['{"r": [{"v": 1}, {"v": 2}]}', 'r.1.v', 'number', 2],
    ['{"t": "21.5"}', 't', 'number', 21.5],
    ['42', undefined, 'number', 42],
    ['{"a": 1}', undefined, 'json', { a: 1 }],
    ['{"on": true}', 'on', 'boolean', true],
    ['{"t": 21.5', 't', 'number', 'garbage: not JSON'],
    ['hello', 't', 'number', 'garbage: not JSON'],
    ['{"x": 1}', 't', 'number', 'garbage: no field "t" in the document'],
    ['{"env": {"rh": 40}}', 'env.temp', 'number', 'garbage: no field "temp" in "env"'],
    ['{"env": 5}', 'env.temp', 'number', 'garbage: "env" is not an object (field "env.temp")'],
    ['[1, 2]', 't', 'number', 'garbage: no item "t" in the document (an array of 2)'],
    ['{"r": [1]}', 'r.3', 'number', 'garbage: no item "3" in "r" (an array of 1)'],
    ['"text"', 't', 'number', 'garbage: the document is not an object (field "t")'],
    ['null', 't', 'number', 'garbage: the document is not an object (field "t")'],
    ['{"t": null}', 't', 'number', 'garbage: expected a number, got null'],
    ['{"t": {"v": 1}}', 't', 'number', 'garbage: expected a number, got an object'],
    ['{}', 'toString', 'string', 'garbage: no field "toString" in the document'],
    ['{"__proto__": {"x": 1}}', '__proto__.x', 'number', 1],
  ])('%s field %s as %s -> %j', (line, field, type, expected) => {
    expect(brief(parseJson(line, field, type))).toEqual(expected);
  });
});

describe('parseRegex', () => {
  const re = /T=(?<value>-?[0-9.]+)C/;
  it.each<[string, RegExp, ValueType, unknown]>([
    ['T=21.5C RH=40%', re, 'number', 21.5],
    ['  T=-3C  ', re, 'number', -3],
    ['RH=40%', re, 'number', 'garbage: no match for /T=(?<value>-?[0-9.]+)C/'],
    ['T=1.2.3C', re, 'number', 'garbage: not a number'],
    ['state: open', /state: (?<value>\w+)/, 'string', 'open'],
    ['door=1', /door=(?<value>[01])/, 'boolean', true],
    ['x', /(?<value>y)?x/, 'number', 'garbage: /(?<value>y)?x/ matched but its group "value" captured nothing'],
  ])('%j with %s as %s -> %j', (line, pattern, type, expected) => {
    expect(brief(parseRegex(line, pattern, type))).toEqual(expected);
  });
});

describe('parseEntityRecords', () => {
  it.each<[string, unknown]>([
    ['{"id": "a", "x": 1, "y": 2}', { id: 'a', x: 1, y: 2 }],
    ['[{"id": "a", "x": 1, "y": 2}, {"id": "b", "x": 3, "y": 4, "z": 1}]', [{ id: 'a', x: 1, y: 2 }, { id: 'b', x: 3, y: 4, z: 1 }]],
    ['[]', []],
    ['[1, 2]', 'garbage: expected an entity record {id, x, y[, z]} or an array of them'],
    ['7', 'garbage: expected an entity record {id, x, y[, z]} or an array of them'],
    ['{"id": ', 'garbage: not JSON'],
  ])('%s -> %j', (line, expected) => {
    expect(brief(parseEntityRecords(line))).toEqual(expected);
  });
});

describe('quoteLine', () => {
  it('quotes, escapes control characters and truncates long lines', () => {
    expect(quoteLine('a"b\u0001')).toBe('"a\\"b\\u0001"');
    expect(quoteLine('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}…"`);
    expect(quoteLine('°'.repeat(5), 3)).toBe('"°°°…"');
  });
});
