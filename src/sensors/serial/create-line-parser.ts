import type { SensorModel } from '../../config/model.js';
import { SpatiaError } from '../../core/errors.js';
import { parseJson } from './parse-json.js';
import { parseLine } from './parse-line.js';
import { parseNmea } from './parse-nmea.js';
import type { LineParser } from './parse-result.js';
import { parseRegex } from './parse-regex.js';

/**
 * The line parser a `kind: serial` sensor declares (`parser`, `pattern`, `field`, and its value
 * type). Throws a SpatiaError only for a model the loader would have refused (a regex parser
 * without a valid pattern, an unknown parser), e.g. one built by hand through the API.
 */
export function createLineParser(sensor: SensorModel): LineParser {
  const hw = sensor.hardware;
  const type = sensor.valueType;
  const parser = stringKey(hw, 'parser') ?? 'line';
  const field = stringKey(hw, 'field');
  switch (parser) {
    case 'line':
      return (line) => parseLine(line, type);
    case 'json':
      return (line) => parseJson(line, field, type);
    case 'nmea':
      return (line) => parseNmea(line, field, type);
    case 'regex': {
      const source = stringKey(hw, 'pattern');
      if (source === undefined) throw new SpatiaError('SPATIA_CONFIG_MISSING', `${sensor.id}: parser regex needs a pattern`);
      let pattern: RegExp;
      try {
        pattern = new RegExp(source);
      } catch (err) {
        throw new SpatiaError('SPATIA_CONFIG_VALUE', `${sensor.id}: invalid pattern: ${(err as Error).message}`);
      }
      return (line) => parseRegex(line, pattern, type);
    }
    default:
      throw new SpatiaError('SPATIA_CONFIG_VALUE', `${sensor.id}: unknown serial parser "${parser}" (line, json, nmea or regex)`);
  }
}

function stringKey(hw: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = hw[key];
  return typeof v === 'string' ? v : undefined;
}
