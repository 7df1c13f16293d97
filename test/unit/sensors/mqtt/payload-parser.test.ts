import { describe, expect, it } from 'vitest';
import type { ValueType } from '../../../../src/config/model.js';
import { parseJsonPath, walkJson } from '../../../../src/sensors/mqtt/json-path.js';
import { createPayloadParser, NOT_A_READING, payloadPreview } from '../../../../src/sensors/mqtt/payload-parser.js';

/** The reading of `payload`, or `garbage: <reason>`. */
function read(type: ValueType, payload: string, jsonPath?: string): unknown {
  const p = createPayloadParser(type, jsonPath);
  const v = p.parse(Buffer.from(payload));
  return v === NOT_A_READING ? `garbage: ${p.reason}` : v;
}

describe('payloads without json_path', () => {
  it.each([
    ['number', '21.5', 21.5],
    ['number', ' -3e2\n', -300],
    ['number', 'hot', 'garbage: is not a number'],
    ['number', '', 'garbage: is not a number'],
    ['number', 'NaN', 'garbage: is not a number'],
    ['number', '1e999', 'garbage: is not a number'],
    ['boolean', 'true', true],
    ['boolean', 'OFF', false],
    ['boolean', 'On', true],
    ['boolean', ' 1 ', true],
    ['boolean', '0', false],
    ['boolean', 'open', 'garbage: is not true/false, on/off or 1/0'],
    ['string', 'héllo wörld', 'héllo wörld'],
    ['string', '', ''],
    ['json', '{"a": [1, 2]}', { a: [1, 2] }],
    ['json', '3', 3],
    ['json', '{nope', 'garbage: is not JSON'],
  ] as const)('%s sensor, payload %j: %j', (type, payload, expected) => {
    expect(read(type, payload)).toEqual(expected);
  });
});

describe('payloads with json_path', () => {
  const doc = JSON.stringify({ sensors: { temp: 21.5, door: 'ON', name: 'lobby', flag: false, s: '7.5' }, data: [{ value: 3 }, { value: 4 }] });

  it.each([
    ['number', 'sensors.temp', 21.5],
    ['number', '$.sensors.temp', 21.5],
    ['number', 'data.1.value', 4],
    ['number', '$.data[1].value', 4],
    ['number', 'sensors.s', 7.5],
    ['number', 'sensors.name', 'garbage: has no number at json_path sensors.name'],
    ['number', 'sensors.missing', 'garbage: has nothing at json_path sensors.missing'],
    ['number', 'data.2.value', 'garbage: has nothing at json_path data.2.value'],
    ['number', 'sensors.temp.deeper', 'garbage: has nothing at json_path sensors.temp.deeper'],
    ['boolean', 'sensors.door', true],
    ['boolean', 'sensors.flag', false],
    ['boolean', 'data.0.value', 'garbage: has no true/false at json_path data.0.value'],
    ['string', 'sensors.name', 'lobby'],
    ['string', 'sensors.temp', '21.5'],
    ['string', 'data', 'garbage: has no text at json_path data'],
    ['json', 'data.0', { value: 3 }],
    ['json', '$', JSON.parse(doc)],
  ] as const)('%s sensor at %s: %j', (type, path, expected) => {
    expect(read(type, doc, path)).toEqual(expected);
  });

  it('never reaches Object.prototype', () => {
    expect(read('json', '{}', '__proto__')).toBe('garbage: has nothing at json_path __proto__');
    expect(read('string', '{"a": {}}', 'a.constructor')).toBe('garbage: has nothing at json_path a.constructor');
  });

  it('refuses a payload that is not JSON', () => {
    expect(read('number', '21.5 degC', 'a')).toBe('garbage: is not JSON');
  });
});

describe('parseJsonPath', () => {
  it.each([
    ['a', ['a']],
    ['a.b.0', ['a', 'b', '0']],
    ['$.a[0].b', ['a', '0', 'b']],
    ['$[2]', ['2']],
    ['$', []],
    ['weird key.x', ['weird key', 'x']],
  ])('%s', (path, keys) => {
    const p = parseJsonPath(path);
    expect('steps' in p ? p.steps.map((s) => s.key) : p.error).toEqual(keys);
  });

  it.each(['', 'a..b', '.a', 'a.', 'a.*', 'a[x]', '$..a', 'a[0]b'])('refuses %j', (path) => {
    expect('error' in parseJsonPath(path)).toBe(true);
  });

  it('walks arrays by index and objects by own key only', () => {
    const steps = (p: string) => {
      const r = parseJsonPath(p);
      if ('error' in r) throw new Error(r.error);
      return r.steps;
    };
    expect(walkJson({ a: [10, 20] }, steps('a.1'))).toBe(20);
    expect(walkJson({ a: { 1: 'x' } }, steps('a.1'))).toBe('x');
    expect(walkJson({ a: [10] }, steps('a.01'))).toBeUndefined();
    expect(walkJson({ a: null }, steps('a.b'))).toBeUndefined();
  });
});

describe('payloadPreview', () => {
  it('quotes, escapes and shortens', () => {
    expect(payloadPreview(Buffer.from('hot'))).toBe('"hot"');
    expect(payloadPreview(Buffer.from('a\nb'))).toBe('"a\\nb"');
    expect(payloadPreview(Buffer.from('x'.repeat(100)))).toBe(`"${'x'.repeat(60)}..."`);
  });
});
