import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';
import { SUGGESTED_UNITS } from '../../../src/config/readers.js';
import { lookupUnit } from '../../../src/expr/units.js';

/** The issues of `version: 1` plus the given lines, as `line:col path: message [CODE]`. */
function problems(...lines: string[]): string[] {
  const r = loadConfigText(['version: 1', ...lines].join('\n') + '\n', 'd.yaml');
  return r.issues.sorted().map((i) => formatIssue(i).replace(/^d\.yaml:/, ''));
}

const OUTPUT = ['outputs:', '  mqtt: {url: "mqtt://localhost"}'];

describe('top level and runtime', () => {
  it.each([
    ['', ['1:1 (root): the file is empty; a deployment starts with "version: 1" [SPATIA_CONFIG_MISSING]']],
    ['- a\n', ['1:1 (root): expected a map, got a list [SPATIA_CONFIG_TYPE]']],
    ['version: 2\n', ['1:10 version: version 2 is not supported; this spatia reads version 1 [SPATIA_CONFIG_UNSUPPORTED]']],
    ['version: "1"\n', ['1:10 version: expected an integer, got "1" [SPATIA_CONFIG_TYPE]']],
  ])('%j', (text, expected) => {
    const r = loadConfigText(text, 'd.yaml');
    expect(r.issues.sorted().map((i) => formatIssue(i).replace(/^d\.yaml:/, ''))).toEqual(expected);
  });

  it('refuses tick together with tick_rate, and bad rates, sizes and URLs', () => {
    expect(
      problems(
        'runtime: {tick_rate: 10 Hz, tick: 100ms}',
        'outputs:',
        '  mqtt: {url: "http://x", outbox_max_bytes: 12XB}',
      ),
    ).toEqual([
      '2:35 runtime.tick: write either tick_rate or tick, not both [SPATIA_CONFIG_VALUE]',
      '4:15 outputs.mqtt.url: URL scheme must be mqtt://, mqtts://, ws://, wss://, got "http://" [SPATIA_CONFIG_VALUE]',
      '4:45 outputs.mqtt.outbox_max_bytes: bad size "12XB": unknown size unit "XB"; expected a size such as 64MB, 512KB, 1GB or a number of bytes [SPATIA_CONFIG_VALUE]',
    ]);
    expect(problems('runtime: {tick_rate: 0 Hz}')).toEqual([
      '2:22 runtime.tick_rate: bad rate "0 Hz": a rate must be greater than 0 Hz [SPATIA_CONFIG_VALUE]',
    ]);
  });

  it('refuses ids that are not identifiers or are reserved words', () => {
    expect(problems('zones:', '  - {id: 1st, rect: [[0, 0], [1, 1]]}', '  - {id: and, rect: [[0, 0], [1, 1]]}')).toEqual([
      '3:10 zones[0].id: id "1st" must start with a letter or _ and hold only letters, digits and _ [SPATIA_CONFIG_VALUE]',
      '4:10 zones[1].id: id "and" is a reserved word of the expression language [SPATIA_CONFIG_VALUE]',
    ]);
  });
});

describe('zones', () => {
  it('needs exactly one outline with an area, and an ordered height', () => {
    expect(
      problems(
        'zones:',
        '  - {id: a}',
        '  - {id: b, rect: [[0, 0], [1, 1]], polygon: [[0, 0], [1, 0], [0, 1]]}',
        '  - {id: c, rect: [[0, 0], [0, 5]]}',
        '  - {id: d, rect: [[0, 0], [1, 1]], height: [3, 1]}',
        '  - {id: e, rect: [[0, 0], [1, 1]], parent: e}',
      ),
    ).toEqual([
      '3:5 zones[0]: a zone needs rect or polygon [SPATIA_CONFIG_MISSING]',
      '4:37 zones[1].polygon: write either rect or polygon, not both [SPATIA_CONFIG_VALUE]',
      '5:19 zones[2].rect: the outline has no area (its points are on one line) [SPATIA_CONFIG_VALUE]',
      '6:45 zones[3].height: height is [zmin, zmax] with zmin < zmax, got [3, 1] [SPATIA_CONFIG_VALUE]',
      '7:37 zones[4].parent: zone "e" cannot be its own parent [SPATIA_CONFIG_CYCLE]',
    ]);
  });

  it('reports a cycle of parents once', () => {
    expect(
      problems('zones:', '  - {id: a, rect: [[0, 0], [1, 1]], parent: b}', '  - {id: b, rect: [[0, 0], [1, 1]], parent: a}'),
    ).toEqual(['3:5 zones[0].parent: zone parents form a cycle: a -> b -> a [SPATIA_CONFIG_CYCLE]']);
  });
});

describe('sensors', () => {
  it('checks the keys of each kind', () => {
    expect(
      problems(
        ...OUTPUT,
        'sensors:',
        '  - {id: a, kind: i2c, bus: 1, device: bme280}',
        '  - {id: b, kind: i2c, bus: 1, device: tmp102, channel: 1}',
        '  - {id: c, kind: i2c, bus: 1, device: sht31, field: pressure}',
        '  - {id: d, kind: serial, path: /dev/x, parser: regex}',
        '  - {id: e, kind: serial, path: /dev/x, parser: regex, pattern: "(\\\\d+)"}',
        '  - {id: f, kind: serial, path: /dev/x, parser: regex, pattern: "(?<value>["}',
        '  - {id: g, kind: serial, path: /dev/x, field: x}',
        '  - {id: h, kind: entities, source: mqtt}',
        '  - {id: i, kind: entities}',
        '  - {id: j, kind: gpio, pin: 2000, edge: up}',
        '  - {id: k, kind: mqtt}',
        '  - {id: l, kind: pwm}',
        '  - {id: m, kind: serial, path: /dev/x, parser: nmea, field: lat, silence: 5s}',
        '  - {id: n, kind: i2c, bus: 1, device: ads1115, gain: 3}',
        '  - {id: o, kind: entities, path: /dev/x, silence: 0s}',
      ),
    ).toEqual([
      '5:5 sensors[0]: missing required key "field" for a bme280 (one of temperature, humidity, pressure) [SPATIA_CONFIG_MISSING]',
      '6:48 sensors[1].channel: channel only applies to device ads1115 [SPATIA_CONFIG_VALUE]',
      '7:47 sensors[2].field: sht31 has no field "pressure" (one of temperature, humidity) [SPATIA_CONFIG_VALUE]',
      '8:5 sensors[3]: missing required key "pattern" for parser regex [SPATIA_CONFIG_MISSING]',
      '9:65 sensors[4].pattern: the pattern needs a named group "value", such as (?<value>[0-9.]+) [SPATIA_CONFIG_VALUE]',
      expect.stringMatching(/^10:65 sensors\[5\]\.pattern: invalid regular expression: .* \[SPATIA_CONFIG_VALUE\]$/),
      '11:41 sensors[6].field: field only applies to parser: json or nmea [SPATIA_CONFIG_VALUE]',
      '12:5 sensors[7]: missing required key "topic" for entities from mqtt [SPATIA_CONFIG_MISSING]',
      '13:5 sensors[8]: entities from sim need sim: {paths: {ID: [[t, x, y], ...]}} [SPATIA_CONFIG_MISSING]',
      '14:30 sensors[9].pin: must be at most 1023, got 2000 [SPATIA_CONFIG_VALUE]',
      '14:42 sensors[9].edge: expected one of none, rising, falling, both, got "up" [SPATIA_CONFIG_VALUE]',
      '15:5 sensors[10]: missing required key "topic" for an mqtt sensor [SPATIA_CONFIG_MISSING]',
      '16:19 sensors[11].kind: expected one of gpio, i2c, serial, mqtt, mock, entities, got "pwm" [SPATIA_CONFIG_VALUE]',
      '17:55 sensors[12].field: nmea has no field "lat" (one of latitude, longitude, altitude, fix_quality, satellites, hdop, speed_knots, speed, course) [SPATIA_CONFIG_VALUE]',
      '18:55 sensors[13].gain: gain must be one of 2/3, 1, 2, 4, 8, 16, got 3 [SPATIA_CONFIG_VALUE]',
      '19:52 sensors[14].silence: must be longer than 0, got "0s" [SPATIA_CONFIG_DURATION]',
    ]);
  });

  it('sends signal and sim to the kinds that take them', () => {
    expect(
      problems(
        'sensors:',
        '  - {id: a, kind: gpio, pin: 1, signal: {constant: true}}',
        '  - {id: b, kind: mock, sim: {signal: {constant: 1}}}',
      ),
    ).toEqual([
      '3:33 sensors[0].signal: key "signal" is for mock sensors, not gpio; write sim: {signal: ...} [SPATIA_CONFIG_UNKNOWN_KEY]',
      '4:5 sensors[1]: missing required key "signal" for a mock sensor [SPATIA_CONFIG_MISSING]',
      '4:25 sensors[1].sim: key "sim" is for gpio, i2c, serial, mqtt, entities sensors, not mock; a mock sensor takes signal and faults directly [SPATIA_CONFIG_UNKNOWN_KEY]',
    ]);
  });

  it('checks unit, filters and signal against the value type', () => {
    expect(
      problems(
        'sensors:',
        '  - {id: a, kind: gpio, pin: 1, unit: lux}',
        '  - {id: b, kind: gpio, pin: 2, filters: [{delta: 1}]}',
        '  - {id: c, kind: mock, signal: {constant: true}}',
        '  - {id: d, kind: mock, type: string, signal: {sine: {mean: 1, amplitude: 1, period: 1s}}}',
        '  - {id: e, kind: gpio, pin: 3, sim: {signal: {square: {low: 0, high: 1, period: 1s}}}}',
      ),
    ).toEqual([
      '3:39 sensors[0].unit: unit only applies to number sensors (this one is boolean) [SPATIA_CONFIG_VALUE]',
      '4:42 sensors[1].filters: filters only apply to number sensors (this one is boolean) [SPATIA_CONFIG_VALUE]',
      "5:33 sensors[2].signal: this constant signal gives boolean values, but the sensor's type is number (write type: boolean) [SPATIA_CONFIG_VALUE]",
      "6:47 sensors[3].signal: this sine signal gives number values, but the sensor's type is string [SPATIA_CONFIG_VALUE]",
    ]);
  });

  it('suggests only units that lookupUnit knows', () => {
    for (const u of SUGGESTED_UNITS) expect(lookupUnit(u), u).toBeDefined();
  });
});

describe('filters', () => {
  it('reports each bad filter at its value', () => {
    expect(
      problems(
        'sensors:',
        '  - id: s',
        '    kind: mock',
        '    signal: {constant: 1}',
        '    filters:',
        '      - calibrate_linear: [[1, 2], [1, 3]]',
        '      - calibrate_linear: [[1, 2]]',
        '      - exponential_moving_average: 1.5',
        '      - clamp: [5, 1]',
        '      - timeout: {after: 0s}',
        '      - median: {samples: 3, window: 2s}',
        '      - median: 2.5',
        '      - moving_avg: 3s',
        '      - delta: -1',
        '      - throttle: 5m',
        '      - {clamp: [0, 1], delta: 1}',
        '      - mqtt:',
        '        topic: x',
      ),
    ).toEqual([
      '7:27 sensors[0].filters[0].calibrate_linear: calibration pairs need at least two different raw values [SPATIA_CONFIG_VALUE]',
      '8:27 sensors[0].filters[1].calibrate_linear: needs at least 2 pairs, got 1 [SPATIA_CONFIG_VALUE]',
      '9:37 sensors[0].filters[2].exponential_moving_average: must be at most 1, got 1.5 [SPATIA_CONFIG_VALUE]',
      '10:16 sensors[0].filters[3].clamp: clamp is [min, max] with min <= max, got [5, 1] [SPATIA_CONFIG_VALUE]',
      '11:26 sensors[0].filters[4].timeout.after: must be longer than 0, got "0s" [SPATIA_CONFIG_DURATION]',
      '12:17 sensors[0].filters[5].median: write exactly one of window (a duration) and samples (a count) [SPATIA_CONFIG_VALUE]',
      '13:17 sensors[0].filters[6].median: expected an integer, got 2.5 [SPATIA_CONFIG_TYPE]',
      '14:9 sensors[0].filters[7].moving_avg: unknown filter "moving_avg"; did you mean "moving_average"? [SPATIA_CONFIG_UNKNOWN_KEY]',
      '15:16 sensors[0].filters[8].delta: must be at least 0, got -1 [SPATIA_CONFIG_VALUE]',
      '16:19 sensors[0].filters[9].throttle: bad duration "5m": m is metres; write 5min for minutes [SPATIA_CONFIG_DURATION]',
      '17:9 sensors[0].filters[10]: a filter is a map with one key (moving_average, exponential_moving_average, median, clamp, calibrate_linear, delta, throttle, timeout); got 2 keys: clamp, delta [SPATIA_CONFIG_TYPE]',
      '18:9 sensors[0].filters[11]: a filter is a map with one key (moving_average, exponential_moving_average, median, clamp, calibrate_linear, delta, throttle, timeout); got 2 keys: mqtt, topic [SPATIA_CONFIG_TYPE]',
    ]);
  });
});

describe('patterns', () => {
  it('checks kind, kind keys and units', () => {
    expect(
      problems(
        'patterns:',
        '  - {id: a, kind: zone_agregate}',
        '  - {id: b, kind: expr, value: "1", input: x}',
        '  - {id: c, kind: filter, input: x, filters: []}',
        '  - {id: d, kind: expr}',
        '  - {id: e, kind: expr, value: a, unit: bananas}',
      ),
    ).toEqual([
      '3:19 patterns[0].kind: expected one of expr, filter, zone_aggregate, occupancy_field, queue_flow, got "zone_agregate"; did you mean "zone_aggregate"? [SPATIA_CONFIG_VALUE]',
      '4:37 patterns[1].input: unknown key "input"; expected one of: id, kind, mode, unit, value [SPATIA_CONFIG_UNKNOWN_KEY]',
      '5:46 patterns[2].filters: a filter pattern needs at least one filter [SPATIA_CONFIG_VALUE]',
      '6:5 patterns[3]: missing required key "value" for an expr pattern [SPATIA_CONFIG_MISSING]',
      '7:41 patterns[4].unit: unknown unit "bananas" [SPATIA_CONFIG_UNIT]',
    ]);
  });
});

describe('conditions and actions', () => {
  it('reports each bad action at its place', () => {
    expect(
      problems(
        'conditions:',
        '  - id: c',
        '    when: ""',
        '    action_mode: sequential',
        '    actions:',
        '      - mqtt:',
        '        topic: x',
        '      - htp: {url: x}',
        '      - http: {url: "ftp://x"}',
        '      - callback: {module: ./nope.mjs}',
        '      - log: {message: hi, level: debug}',
        '      - gpio: {pin: 3, value: 2}',
        '      - log:',
        '    on_falling: {log: x}',
      ),
    ).toEqual([
      '4:11 conditions[0].when: empty expression [SPATIA_CONFIG_EXPR_SYNTAX]',
      '5:18 conditions[0].action_mode: expected one of single, queued, parallel, restart, got "sequential" [SPATIA_CONFIG_VALUE]',
      '7:9 conditions[0].actions[0]: an action is a map with one key (log, mqtt, gpio, callback, http); got 2 keys: mqtt, topic; indent the settings under "mqtt:" [SPATIA_CONFIG_TYPE]',
      '9:9 conditions[0].actions[1].htp: unknown action "htp"; did you mean "http"? [SPATIA_CONFIG_UNKNOWN_KEY]',
      '10:21 conditions[0].actions[2].http.url: URL scheme must be http://, https://, got "ftp://" [SPATIA_CONFIG_VALUE]',
      expect.stringMatching(/^11:28 conditions\[0\]\.actions\[3\]\.callback\.module: callback module not found: \/.*\/nope\.mjs \[SPATIA_CONFIG_FILE\]$/),
      '12:35 conditions[0].actions[4].log.level: expected one of info, warn, error, got "debug" [SPATIA_CONFIG_VALUE]',
      '13:31 conditions[0].actions[5].gpio.value: expected 0, 1, true or false, got 2 [SPATIA_CONFIG_VALUE]',
      '14:9 conditions[0].actions[6].log: "log" needs a value [SPATIA_CONFIG_MISSING]',
      '15:17 conditions[0].on_falling: expected a list of actions, got a map [SPATIA_CONFIG_TYPE]',
    ]);
  });

  it('refuses wildcard publish topics', () => {
    expect(problems(...OUTPUT, 'conditions:', '  - {id: c, when: c, actions: [{mqtt: {topic: a/+}}]}')).toEqual([
      '5:47 conditions[0].actions[0].mqtt.topic: cannot publish to a wildcard topic "a/+" [SPATIA_CONFIG_VALUE]',
    ]);
  });
});

describe('outputs.mqtt as the default broker', () => {
  it('is only taken from outputs, never from a stray top-level mqtt key', () => {
    expect(problems('mqtt: {url: "mqtt://x"}', 'sensors:', '  - {id: a, kind: mqtt, topic: t}')).toEqual([
      '2:1 mqtt: unknown key "mqtt"; expected one of: version, runtime, zones, sensors, patterns, conditions, outputs [SPATIA_CONFIG_UNKNOWN_KEY]',
      '4:5 sensors[0]: an mqtt sensor needs url (or outputs.mqtt.url) [SPATIA_CONFIG_MISSING]',
    ]);
  });
});
