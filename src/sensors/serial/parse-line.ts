import type { ValueType } from '../../config/model.js';
import { coerceValue } from './coerce-value.js';
import type { ParseResult } from './parse-result.js';

/**
 * `parser: line`: the whole line, trimmed, is the reading: a number for a `number` sensor
 * (anything non-numeric is garbage), true/false for a `boolean` one, otherwise the text.
 */
export function parseLine(line: string, valueType: ValueType): ParseResult {
  return coerceValue(line.trim(), valueType === 'json' ? 'string' : valueType);
}
