import type { ValueType } from '../../config/model.js';
import { garbage, type ParseResult, value } from './parse-result.js';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TRUE_WORDS = new Set(['true', 'on', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'off', 'no', '0']);

/**
 * Converts what a parser extracted to the sensor's declared value type (the source contract:
 * finite numbers, true/false, strings, JSON values), or says why it cannot.
 *
 * - `number`: finite numbers; strings holding a plain decimal number (`-12.5`, `1e3`, not `0x10`
 *   or ``, trimmed first). Anything else is garbage.
 * - `boolean`: booleans; the numbers 1/0; the strings true/false, on/off, yes/no, 1/0 (any case).
 * - `string`: strings as they are; numbers and booleans as their text. Objects are garbage.
 * - `json`: any JSON value as it is.
 */
export function coerceValue(v: unknown, valueType: ValueType): ParseResult {
  switch (valueType) {
    case 'number':
      if (typeof v === 'number') return Number.isFinite(v) ? value(v) : garbage(`${String(v)} is not a finite number`);
      if (typeof v === 'string') {
        const text = v.trim();
        return DECIMAL.test(text) ? value(Number(text)) : garbage('not a number');
      }
      return garbage(`expected a number, got ${describe(v)}`);
    case 'boolean':
      if (typeof v === 'boolean') return value(v);
      if (v === 1 || v === 0) return value(v === 1);
      if (typeof v === 'string') {
        const word = v.trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return value(true);
        if (FALSE_WORDS.has(word)) return value(false);
        return garbage('not a boolean (true/false, on/off, yes/no, 1/0)');
      }
      return garbage(`expected a boolean, got ${describe(v)}`);
    case 'string':
      if (typeof v === 'string') return value(v);
      if (typeof v === 'number' || typeof v === 'boolean') return value(String(v));
      return garbage(`expected a string, got ${describe(v)}`);
    case 'json':
      return value(v);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  return String(v);
}
