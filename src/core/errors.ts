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
  SPATIA_CONFIG_SECRET: 'A `!secret NAME` or `${ENV}` reference that cannot be resolved (missing secrets file, key or variable).',
  SPATIA_USAGE: 'Bad command-line usage.',
  SPATIA_SENSOR_TIMEOUT: 'A sensor read took longer than its `timeout`.',
  SPATIA_SENSOR_ERROR: 'A sensor read failed.',
  SPATIA_SENSOR_GARBAGE: 'A sensor returned a value that is not a reading (NaN, wrong type).',
  SPATIA_SENSOR_DISCONNECTED: 'The transport of a push sensor (MQTT broker, serial device) went away; the last value is held as stale until it comes back.',
  SPATIA_GPIO_NO_SYSFS: 'sysfs GPIO (/sys/class/gpio) is absent on this kernel (JetPack 6, Debian Trixie): the message names the fix.',
  SPATIA_GPIO_PERMISSION: 'No permission to a GPIO line: add the service user to the `gpio` group (and install the udev rule in hardware/).',
  SPATIA_GPIO_CHIP: 'The GPIO chip named by `chip` (or the board\'s header chip) is not there, or the pin is beyond its lines.',
  SPATIA_I2C_BUS: 'The I2C bus device (/dev/i2c-N) is missing or not accessible: enable I2C, add the user to the `i2c` group.',
  SPATIA_I2C_NACK: 'The I2C device did not acknowledge (EREMOTEIO/ENXIO): wrong address, wiring or power.',
  SPATIA_I2C_IO: 'An I2C transfer failed or timed out (EIO/ETIMEDOUT, a stuck bus); retried with backoff.',
  SPATIA_I2C_PROBE: 'The device at the address does not identify as the declared chip (wrong chip id).',
  SPATIA_SERIAL_OPEN: 'A serial device cannot be opened (missing, busy, or no permission: the `dialout` group); retried with backoff.',
  SPATIA_SERIAL_SILENT: 'A serial device sent nothing for longer than its watchdog: considered gone and reopened.',
  SPATIA_MQTT_CONNECT: 'The MQTT broker cannot be reached or the connection dropped; reconnecting with backoff.',
  SPATIA_MQTT_AUTH: 'The MQTT broker refused the credentials or the TLS handshake failed.',
  SPATIA_OUTBOX_DROPPED: 'The MQTT outbox was full (`outbox_max_bytes`): its oldest undelivered messages were dropped, counted and logged.',
  SPATIA_OUTBOX_IO: 'The MQTT outbox in `state_dir` cannot be written or read (disk full, I/O error, permissions), or a damaged tail was cut at start.',
  SPATIA_MQTT_REJECTED: 'The broker refused a message with an MQTT 5 reason code (often an ACL); it is not sent again.',
  SPATIA_JOURNAL_WRITE: 'The disk refuses journal writes (full, read-only, permissions): input is kept in memory (bounded) and retried.',
  SPATIA_JOURNAL_LOST: 'The memory bound of the journal was reached while the disk refused writes: input was dropped and the gap is marked.',
  SPATIA_JOURNAL_DAMAGE: 'A torn or corrupt journal segment was found: reading stopped at the last good record, and a torn tail is cut.',
  SPATIA_CHECKPOINT_WRITE: 'A checkpoint could not be written (disk full, read-only, permissions); the run goes on.',
  SPATIA_CHECKPOINT_REJECTED: 'A checkpoint file was empty, truncated, corrupt or of another format; the previous one was used.',
  SPATIA_TICK_OVERRUN: 'A tick ran past its period (counted); the loop catches up, within bounds, instead of drifting.',
  SPATIA_BOARD: 'The board could not be detected or is not one of the known profiles (`runtime.board`).',
  SPATIA_ACTION_FAILED: 'An action or callback failed; the tick loop carried on.',
  SPATIA_METRICS_LISTEN: 'The metrics server (`spatia run --metrics`) cannot listen on the address given: in use, not an address of this machine, or a privileged port.',
  SPATIA_SD_NOTIFY: 'Notifications to systemd (READY, WATCHDOG, STATUS) cannot be sent: no unix-dgram build and no systemd-notify, or the notify socket refused them; a Type=notify unit may time out or restart.',
  SPATIA_WATCHDOG_STALL: 'The tick loop made no progress for half the watchdog period: watchdog pings are withheld, so systemd restarts the service unless it recovers.',
  SPATIA_CONFIG_RELOAD: 'A reload (SIGHUP, `spatia reload`) was rejected: the new configuration has errors (listed) or moves state_dir; the running configuration stays.',
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
