import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';

/** Loads YAML lines as deploy.yaml and returns the formatted issues, top to bottom. */
function problems(...lines: string[]): string[] {
  const r = loadConfigText(lines.join('\n') + '\n', 'deploy.yaml');
  const out = r.issues.sorted().map(formatIssue);
  if (r.issues.hasErrors) expect(r.model).toBeUndefined();
  return out;
}

const MOCK = ['    kind: mock', '    signal: {constant: 1}'];

describe('configuration errors, with their exact position and message', () => {
  it('unknown key in runtime, at the key, with a suggestion', () => {
    expect(problems('version: 1', 'runtime:', '  tick_rat: 10 Hz')).toEqual([
      'deploy.yaml:3:3 runtime.tick_rat: unknown key "tick_rat"; did you mean "tick_rate"? [SPATIA_CONFIG_UNKNOWN_KEY]',
    ]);
  });

  it('unknown key in a sensor, with a suggestion', () => {
    expect(problems('version: 1', 'sensors:', '  - id: t', ...MOCK, '    stale_afer: 5s')).toEqual([
      'deploy.yaml:6:5 sensors[0].stale_afer: unknown key "stale_afer"; did you mean "stale_after"? [SPATIA_CONFIG_UNKNOWN_KEY]',
    ]);
  });

  it('unknown key with no close match lists the known keys', () => {
    expect(problems('version: 1', 'outputs:', '  kafka: {}')).toEqual([
      'deploy.yaml:3:3 outputs.kafka: unknown key "kafka"; expected one of: mqtt [SPATIA_CONFIG_UNKNOWN_KEY]',
    ]);
  });

  it('a key that belongs to another sensor kind names that kind', () => {
    expect(
      problems('version: 1', 'sensors:', '  - id: t', '    kind: i2c', '    bus: 1', '    device: tmp102', '    pin: 4'),
    ).toEqual(['deploy.yaml:7:5 sensors[0].pin: key "pin" is for gpio sensors, not i2c [SPATIA_CONFIG_UNKNOWN_KEY]']);
  });

  it('wrong type, at the value', () => {
    expect(
      problems('version: 1', 'sensors:', '  - id: door', '    kind: gpio', '    pin: "17"', '    location: {x: 1}'),
    ).toEqual([
      'deploy.yaml:5:10 sensors[0].pin: expected an integer, got "17" [SPATIA_CONFIG_TYPE]',
      'deploy.yaml:6:15 sensors[0].location: expected a list of numbers [x, y] or [x, y, z], got a map [SPATIA_CONFIG_TYPE]',
    ]);
  });

  it('missing required keys, at the map that lacks them', () => {
    expect(
      problems('version: 1', 'sensors:', '  - id: door', '    kind: gpio', 'conditions:', '  - id: c', '    when:'),
    ).toEqual([
      'deploy.yaml:3:5 sensors[0]: missing required key "pin" for a gpio sensor [SPATIA_CONFIG_MISSING]',
      'deploy.yaml:7:5 conditions[0].when: "when" needs a value [SPATIA_CONFIG_MISSING]',
    ]);
    expect(problems('runtime: {}')).toEqual(['deploy.yaml:1:1 (root): missing required key "version" [SPATIA_CONFIG_MISSING]']);
  });

  it('bad duration', () => {
    expect(problems('version: 1', 'runtime:', '  checkpoint_every: 30 secs later')).toEqual([
      'deploy.yaml:3:21 runtime.checkpoint_every: bad duration "30 secs later": expected a duration such as 500ms, 30s, 5min, 1h, 2d or a number of seconds [SPATIA_CONFIG_DURATION]',
    ]);
    expect(problems('version: 1', 'conditions:', '  - id: c', '    when: c', '    for: -3s')).toEqual([
      'deploy.yaml:5:10 conditions[0].for: bad duration "-3s": a duration cannot be negative [SPATIA_CONFIG_DURATION]',
    ]);
  });

  it('5m is metres, not minutes', () => {
    expect(problems('version: 1', 'runtime:', '  resume_max_gap: 5m')).toEqual([
      'deploy.yaml:3:19 runtime.resume_max_gap: bad duration "5m": m is metres; write 5min for minutes [SPATIA_CONFIG_DURATION]',
    ]);
  });

  it('unknown unit, with a suggestion among common units', () => {
    expect(problems('version: 1', 'sensors:', '  - id: t', ...MOCK, '    unit: degc')).toEqual([
      'deploy.yaml:6:11 sensors[0].unit: unknown unit "degc"; did you mean "degC"? [SPATIA_CONFIG_UNIT]',
    ]);
  });

  it('duplicate id across sections names where the first was declared', () => {
    expect(
      problems(
        'version: 1',
        'zones:',
        '  - id: lobby',
        '    rect: [[0, 0], [1, 1]]',
        'sensors:',
        '  - id: lobby',
        ...MOCK,
        'conditions:',
        '  - {id: lobby, when: "true"}',
      ),
    ).toEqual([
      'deploy.yaml:6:9 sensors[0].id: duplicate id "lobby"; first declared at zones[0].id (line 3) [SPATIA_CONFIG_DUPLICATE_ID]',
      'deploy.yaml:10:10 conditions[0].id: duplicate id "lobby"; first declared at zones[0].id (line 3) [SPATIA_CONFIG_DUPLICATE_ID]',
    ]);
  });

  it('unknown zone reference, with a suggestion, or naming what the id is', () => {
    expect(
      problems(
        'version: 1',
        'zones:',
        '  - {id: lobby, rect: [[0, 0], [1, 1]]}',
        'sensors:',
        '  - id: temp',
        ...MOCK,
        'patterns:',
        '  - {id: env, kind: zone_aggregate, zone: loby}',
        '  - {id: env2, kind: zone_aggregate, zone: temp}',
      ),
    ).toEqual([
      'deploy.yaml:9:43 patterns[0].zone: unknown zone "loby"; did you mean "lobby"? [SPATIA_CONFIG_REFERENCE]',
      'deploy.yaml:10:44 patterns[1].zone: "temp" is a sensor, not a zone [SPATIA_CONFIG_REFERENCE]',
    ]);
  });

  it('bad signals', () => {
    expect(
      problems(
        'version: 1',
        'sensors:',
        '  - id: a',
        '    kind: mock',
        '    signal: {sin: {mean: 1}}',
        '  - id: b',
        '    kind: mock',
        '    signal: {steps: [[0, 1], [10s, 2], [5, 3]]}',
        '  - id: c',
        '    kind: mock',
        '    signal: {random_walk: {start: 0, step: 1, min: 1, max: 5}}',
        '  - id: d',
        '    kind: mock',
        '    signal: {sine: {mean: 1, amplitude: 1, period: 1s}, constant: 2}',
      ),
    ).toEqual([
      'deploy.yaml:5:14 sensors[0].signal.sin: unknown signal "sin"; did you mean "sine"? [SPATIA_CONFIG_UNKNOWN_KEY]',
      'deploy.yaml:8:41 sensors[1].signal.steps[2][0]: times must strictly increase [SPATIA_CONFIG_VALUE]',
      'deploy.yaml:11:27 sensors[2].signal.random_walk: needs min <= start <= max, got min 1, start 0, max 5 [SPATIA_CONFIG_VALUE]',
      'deploy.yaml:14:13 sensors[3].signal: a signal is a map with one key (constant, steps, sine, square, random_walk, csv); got 2 keys: sine, constant [SPATIA_CONFIG_TYPE]',
    ]);
  });

  it('a missing CSV file', () => {
    expect(
      problems('version: 1', 'sensors:', '  - id: a', '    kind: mock', '    signal: {csv: {path: nowhere.csv, time_column: t, value_column: v}}'),
    ).toEqual([
      expect.stringMatching(/^deploy\.yaml:5:26 sensors\[0\]\.signal\.csv\.path: CSV file not found: \/.*\/nowhere\.csv \[SPATIA_CONFIG_FILE\]$/),
    ]);
  });

  it('a bare number for moving_average is ambiguous', () => {
    expect(problems('version: 1', 'sensors:', '  - id: a', ...MOCK, '    filters: [{moving_average: 10}]')).toEqual([
      'deploy.yaml:6:32 sensors[0].filters[0].moving_average: moving_average: 10 is ambiguous; write 10s or {samples: 10} [SPATIA_CONFIG_VALUE]',
    ]);
  });

  it('YAML syntax errors, with their line and column', () => {
    expect(problems('version: 1', 'runtime:', '  tick: [100ms', 'sensors: []')).toEqual([
      'deploy.yaml:4:1 (yaml): Flow sequence in block collection must be sufficiently indented and end with a ] [SPATIA_CONFIG_YAML]',
    ]);
    expect(problems('version: 1', 'version: 1')).toEqual(['deploy.yaml:2:1 (yaml): Map keys must be unique [SPATIA_CONFIG_YAML]']);
  });

  it('reports several problems in several sections at once, in line order', () => {
    expect(
      problems(
        'version: 1',
        'runtime:',
        '  tick: 100ms',
        '  tick_rate: 10 Hz',
        '  initial: fier',
        'zones:',
        '  - id: hall',
        '    polygon: [[0, 0], [1, 1]]',
        'sensors:',
        '  - id: t1',
        '    kind: mock',
        '    signal: {constant: 20}',
        '    sample_evry: 1s',
        '  - id: t2',
        '    kind: mqtt',
        '    topic: a/b',
        '    timeout: 5m',
        'conditions:',
        '  - id: c1',
        '    when: t1 > 2',
        '  - id: c2',
        '    when: t2 > 2',
        '  - id: c3',
        '    when: t1 > t2',
        '    for: soon',
        '    actions:',
        '      - mqtt: {topic: alerts/x}',
        '      - lgo: hi',
      ),
    ).toEqual([
      'deploy.yaml:5:12 runtime.initial: expected one of fire, skip, got "fier"; did you mean "fire"? [SPATIA_CONFIG_VALUE]',
      'deploy.yaml:8:14 zones[0].polygon: needs at least 3 points, got 2 [SPATIA_CONFIG_VALUE]',
      'deploy.yaml:13:5 sensors[0].sample_evry: unknown key "sample_evry"; did you mean "sample_every"? [SPATIA_CONFIG_UNKNOWN_KEY]',
      'deploy.yaml:14:5 sensors[1]: an mqtt sensor needs url (or outputs.mqtt.url) [SPATIA_CONFIG_MISSING]',
      'deploy.yaml:17:14 sensors[1].timeout: bad duration "5m": m is metres; write 5min for minutes [SPATIA_CONFIG_DURATION]',
      'deploy.yaml:25:10 conditions[2].for: bad duration "soon": expected a duration such as 500ms, 30s, 5min, 1h, 2d or a number of seconds [SPATIA_CONFIG_DURATION]',
      'deploy.yaml:27:9 conditions[2].actions[0]: mqtt actions publish through outputs.mqtt, which is not configured [SPATIA_CONFIG_MISSING]',
      'deploy.yaml:28:9 conditions[2].actions[1].lgo: unknown action "lgo"; did you mean "log"? [SPATIA_CONFIG_UNKNOWN_KEY]',
    ]);
  });
});
