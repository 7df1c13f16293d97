import type { ValueType } from '../../config/model.js';
import { type JsonPathStep, parseJsonPath, walkJson } from './json-path.js';
import { parseDecimal } from './parse-decimal.js';

/**
 * Turns an MQTT payload into a sensor reading of the sensor's declared type. Runs for every
 * message, so the common cases allocate nothing beyond the payload mqtt.js hands over: a number
 * payload is read from the bytes, and JSON is parsed only for `json_path` and json sensors.
 *
 * Without `json_path`: number sensors read the text as a decimal number; boolean sensors take
 * `true`/`false`, `on`/`off`, `1`/`0` (any case); string sensors the UTF-8 text as is; json
 * sensors (and entities) the parsed JSON. With `json_path`, the payload is parsed as JSON and the
 * value at the path is read the same way (a number or a numeric string; a boolean, 0/1 or one of
 * the words; a string, or a number or boolean as its JSON text; any JSON value).
 */

/** Returned by {@link PayloadParser.parse} for a payload that holds no reading. */
export const NOT_A_READING: unique symbol = Symbol('not a reading');

export interface PayloadParser {
  /** The reading in `payload`, or NOT_A_READING (then `reason` says why). Never throws. */
  parse(payload: Uint8Array): unknown;
  /** Why the last parse gave NOT_A_READING, such as `is not a number`. */
  readonly reason: string;
}

const WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, on: true, off: false, '1': true, '0': false };

function booleanWord(text: string): boolean | undefined {
  return WORDS[text.trim().toLowerCase()];
}

/** A boolean from the payload bytes: compares short ASCII payloads without decoding them. */
function booleanBytes(b: Uint8Array): boolean | undefined {
  return b.length > 7 ? undefined : booleanWord(Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1'));
}

function text(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
}

class Parser implements PayloadParser {
  reason = '';
  private readonly steps: readonly JsonPathStep[] | undefined;

  constructor(
    private readonly type: ValueType,
    private readonly jsonPath: string | undefined,
  ) {
    if (jsonPath === undefined) return;
    const p = parseJsonPath(jsonPath);
    // The loader refuses bad paths; one that slips through reads as "nothing there".
    this.steps = 'steps' in p ? p.steps : [{ key: '', index: -2 }];
  }

  parse(payload: Uint8Array): unknown {
    if (this.steps === undefined && this.type !== 'json') return this.plain(payload);
    let root: unknown;
    try {
      root = JSON.parse(text(payload));
    } catch {
      return this.fail('is not JSON');
    }
    if (this.steps === undefined) return root;
    const v = walkJson(root, this.steps);
    if (v === undefined) return this.fail(`has nothing at json_path ${this.jsonPath}`);
    return this.fromJson(v);
  }

  private plain(payload: Uint8Array): unknown {
    switch (this.type) {
      case 'number': {
        const v = parseDecimal(payload);
        return Number.isFinite(v) ? v : this.fail('is not a number');
      }
      case 'boolean':
        return booleanBytes(payload) ?? this.fail('is not true/false, on/off or 1/0');
      default:
        return text(payload);
    }
  }

  private fromJson(v: unknown): unknown {
    const at = `at json_path ${this.jsonPath}`;
    switch (this.type) {
      case 'number': {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? parseDecimal(Buffer.from(v)) : NaN;
        return Number.isFinite(n) ? n : this.fail(`has no number ${at}`);
      }
      case 'boolean': {
        const b = typeof v === 'boolean' ? v : typeof v === 'number' || typeof v === 'string' ? booleanWord(String(v)) : undefined;
        return b ?? this.fail(`has no true/false ${at}`);
      }
      case 'string':
        if (typeof v === 'string') return v;
        return typeof v === 'number' || typeof v === 'boolean' ? String(v) : this.fail(`has no text ${at}`);
      default:
        return v;
    }
  }

  private fail(reason: string): typeof NOT_A_READING {
    this.reason = reason;
    return NOT_A_READING;
  }
}

/** The parser for a sensor of `type` (entities read as json) with an optional `json_path`. */
export function createPayloadParser(type: ValueType, jsonPath: string | undefined): PayloadParser {
  return new Parser(type, jsonPath);
}

/** The payload as a short quoted preview for messages: at most 60 characters, control characters escaped. */
export function payloadPreview(payload: Uint8Array): string {
  const t = text(payload.length > 240 ? payload.subarray(0, 240) : payload);
  return JSON.stringify(t.length > 60 ? `${t.slice(0, 60)}...` : t);
}
