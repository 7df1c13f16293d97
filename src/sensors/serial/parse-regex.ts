import type { ValueType } from '../../config/model.js';
import { coerceValue } from './coerce-value.js';
import { garbage, type ParseResult } from './parse-result.js';

/**
 * `parser: regex`: the reading is what the named group `value` of `pattern` captures in the
 * trimmed line, converted to the sensor's type. No match, or a match where `value` took no part,
 * is garbage. `pattern` must not carry the `g` or `y` flag (exec would then depend on the last
 * line); the factory builds it without flags.
 */
export function parseRegex(line: string, pattern: RegExp, valueType: ValueType): ParseResult {
  const match = pattern.exec(line.trim());
  if (match === null) return garbage(`no match for /${pattern.source}/`);
  const captured = match.groups?.['value'];
  if (captured === undefined) return garbage(`/${pattern.source}/ matched but its group "value" captured nothing`);
  return coerceValue(captured, valueType === 'json' ? 'string' : valueType);
}
