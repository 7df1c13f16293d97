/**
 * The one registry of spatia's error codes. The README's "Error codes" table is checked against
 * this list by test/unit/core/errors.test.ts, so adding a code means documenting it.
 */
export const ERROR_CODES = {
  SPATIA_CONFIG_YAML: 'The file is not valid YAML (syntax error).',
  SPATIA_CONFIG_UNKNOWN_KEY: 'A key that spatia does not know (the message suggests the closest one).',
  SPATIA_CONFIG_TYPE: 'A value of the wrong type (a string where a number belongs, ...).',
  SPATIA_CONFIG_MISSING: 'A required key is missing.',
  SPATIA_CONFIG_DURATION: 'A duration that cannot be read (`5m` is metres: write `5min`).',
  SPATIA_CONFIG_UNIT: 'An unknown unit, or quantities of different dimensions mixed.',
  SPATIA_CONFIG_DUPLICATE_ID: 'Two sensors, zones, patterns or conditions share an id.',
  SPATIA_CONFIG_REFERENCE: 'A reference to a sensor, zone, pattern or condition that does not exist.',
  SPATIA_CONFIG_CYCLE: 'Patterns or conditions that depend on each other in a cycle.',
  SPATIA_CONFIG_VALUE: 'A value outside its allowed range or set.',
  SPATIA_CONFIG_EXPR_SYNTAX: 'An expression that cannot be parsed.',
  SPATIA_CONFIG_EXPR_TYPE: 'An expression whose operand types do not fit (a number where a condition belongs, ...).',
  SPATIA_CONFIG_UNSUPPORTED: 'A feature this version does not provide yet.',
  SPATIA_CONFIG_FILE: 'The configuration (or a file it names, such as a CSV signal) cannot be read.',
  SPATIA_USAGE: 'Bad command-line usage.',
  SPATIA_SENSOR_TIMEOUT: 'A sensor read took longer than its `timeout`.',
  SPATIA_SENSOR_ERROR: 'A sensor read failed.',
  SPATIA_SENSOR_GARBAGE: 'A sensor returned a value that is not a reading (NaN, wrong type).',
  SPATIA_ACTION_FAILED: 'An action or callback failed; the tick loop carried on.',
  SPATIA_RUNTIME: 'An unexpected failure while running.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error that carries one of the registered codes. */
export class SpatiaError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'SpatiaError';
    this.code = code;
  }
}
