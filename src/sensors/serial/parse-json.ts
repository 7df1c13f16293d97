import type { ValueType } from '../../config/model.js';
import { coerceValue } from './coerce-value.js';
import { garbage, type ParseResult } from './parse-result.js';

/**
 * `parser: json`: each line is one JSON document. Without `field` the whole document is the
 * reading; with `field`, the value at that dotted path (`env.temp`, `readings.0.value`: a numeric
 * segment indexes an array). Then converted to the sensor's type (see coerceValue).
 */
export function parseJson(line: string, field: string | undefined, valueType: ValueType): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return garbage('not JSON');
  }
  if (field === undefined) return coerceValue(doc, valueType);
  const found = valueAtPath(doc, field);
  return 'reason' in found ? garbage(found.reason) : coerceValue(found.value, valueType);
}

/** The value at a dotted `path` inside `doc`, or why there is none. Own properties only. */
export function valueAtPath(doc: unknown, path: string): { value: unknown } | { reason: string } {
  let at: unknown = doc;
  let walked = '';
  for (const key of path.split('.')) {
    const where = walked === '' ? 'the document' : `"${walked}"`;
    if (Array.isArray(at)) {
      const index = /^\d+$/.test(key) ? Number(key) : NaN;
      if (!(index < at.length)) return { reason: `no item "${key}" in ${where} (an array of ${at.length})` };
      at = at[index];
    } else if (at !== null && typeof at === 'object') {
      if (!Object.hasOwn(at, key)) return { reason: `no field "${key}" in ${where}` };
      at = (at as Record<string, unknown>)[key];
    } else {
      return { reason: `${where} is not an object (field "${path}")` };
    }
    walked = walked === '' ? key : `${walked}.${key}`;
  }
  return { value: at };
}
