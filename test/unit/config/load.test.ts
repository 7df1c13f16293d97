import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigFile, loadConfigText } from '../../../src/config/load.js';
import type { DeploymentModel } from '../../../src/config/model.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function load(name: string): DeploymentModel {
  const r = loadConfigFile(join(FIXTURES, name));
  expect(r.issues.sorted().map(formatIssue)).toEqual([]);
  if (r.model === undefined) throw new Error('no model');
  return r.model;
}

describe('the SPEC §2 example', () => {
  const file = join(FIXTURES, 'spec-example.yaml');
  const m = load('spec-example.yaml');

  it('reads runtime with durations in microseconds and state_dir resolved', () => {
    expect(m.version).toBe(1);
    expect(m.file).toBe(file);
    expect(m.runtime).toEqual({
      tickUs: 100_000,
      stateDir: join(FIXTURES, 'state'),
      checkpointEveryUs: 30_000_000,
      initial: 'fire',
      resumeMaxGapUs: 300_000_000,
      mode: 'auto',
      board: undefined,
    });
  });

  it('stores a rect as four corners and keeps a polygon as written', () => {
    const [lobby, kitchen] = m.zones;
    expect(lobby).toMatchObject({ id: 'lobby', shape: 'rect', polygon: [[0, 0], [10, 0], [10, 8], [0, 8]], height: undefined });
    expect(lobby?.pos).toEqual({ file, line: 9, col: 5, path: 'zones[0]' });
    expect(kitchen).toMatchObject({
      id: 'kitchen',
      shape: 'polygon',
      polygon: [[10, 0], [16, 0], [16, 8], [10, 8]],
      height: [0, 3],
      parent: undefined,
    });
  });

  it('reads the i2c sensor, its filters and its sim signal', () => {
    const [s] = m.sensors;
    expect(s).toMatchObject({
      id: 'lobby_temp',
      kind: 'i2c',
      valueType: 'number',
      quantity: 'temperature',
      unit: 'degC',
      location: [2.5, 3.0, 1.2],
      sampleEveryUs: 1_000_000,
      timeoutUs: 200_000,
      staleAfterUs: 5_000_000,
      hardware: { bus: 1, address: 0x76, device: 'bme280', field: 'temperature' },
    });
    expect(s?.filters).toEqual([
      { kind: 'moving_average', windowUs: 10_000_000, samples: undefined },
      { kind: 'clamp', min: -40, max: 85 },
    ]);
    expect(s?.sim?.signal).toEqual({ kind: 'sine', mean: 22, amplitude: 3, periodUs: 600_000_000, phaseUs: 0 });
    expect(s?.sim?.faults).toEqual([]);
    expect(s?.sim?.pos).toEqual({ file, line: 28, col: 10, path: 'sensors[0].sim' });
  });

  it('keeps the zone_aggregate keys as params', () => {
    expect(m.patterns).toEqual([
      {
        id: 'lobby_env',
        kind: 'zone_aggregate',
        mode: undefined,
        unit: undefined,
        expr: undefined,
        filters: [],
        params: { zone: 'lobby', quantity: 'temperature' },
        pos: { file, line: 30, col: 5, path: 'patterns[0]' },
      },
    ]);
  });

  it('reads the condition, its expression position and every action', () => {
    const [c] = m.conditions;
    expect(c?.when).toEqual({ text: 'lobby_env.avg > 28 degC', pos: { file, line: 36, col: 11, path: 'conditions[0].when' } });
    expect(c?.forUs).toBe(30_000_000);
    expect(c?.actionMode).toBe('queued');
    expect(c?.mode).toBeUndefined();
    const at = (line: number, i: number, list = 'actions') => ({ file, line, col: 9, path: `conditions[0].${list}[${i}]` });
    expect(c?.actions).toEqual([
      { kind: 'log', message: 'lobby is {lobby_env.avg}', level: 'info', pos: at(39, 0) },
      { kind: 'mqtt', topic: 'alerts/lobby', payload: { temp: '{lobby_env.avg}' }, qos: 1, retain: false, pos: at(40, 1) },
      { kind: 'gpio', pin: 27, value: 1, chip: undefined, pos: at(41, 2) },
      {
        kind: 'callback',
        module: join(FIXTURES, 'callbacks', 'alert.mjs'),
        exportName: 'onHot',
        timeoutUs: 2_000_000,
        pos: at(42, 3),
      },
    ]);
    expect(c?.onFalling).toEqual([{ kind: 'gpio', pin: 27, value: 0, chip: undefined, pos: at(44, 0, 'on_falling') }]);
  });

  it('reads outputs.mqtt with the outbox size in bytes', () => {
    expect(m.outputs.mqtt).toEqual({
      url: 'mqtt://127.0.0.1:1883',
      clientId: 'lobby-pi',
      outboxMaxBytes: 64 * 1024 * 1024,
      username: undefined,
      password: undefined,
    });
  });
});

describe('a config using every key', () => {
  const m = load('all-keys.yaml');
  const sensor = (id: string) => m.sensors.find((s) => s.id === id);

  it('reads runtime', () => {
    expect(m.runtime).toEqual({
      tickUs: 50_000,
      stateDir: '/var/lib/spatia',
      checkpointEveryUs: 60_000_000,
      initial: 'skip',
      resumeMaxGapUs: 3_600_000_000,
      mode: 'event',
      board: 'pi5',
    });
  });

  it('normalises rect corners given in any order and keeps height and parent', () => {
    expect(m.zones[0]).toMatchObject({ polygon: [[0, 0], [10, 0], [10, 8], [0, 8]], height: [0, 2.5] });
    expect(m.zones[1]).toMatchObject({ shape: 'polygon', parent: 'hall' });
  });

  it('puts kind-specific keys into hardware, snake_case, with defaults', () => {
    expect(sensor('door')?.hardware).toEqual({ pin: 17, chip: 'gpiochip0', edge: 'rising', active_low: true, debounce_us: 20_000 });
    expect(sensor('door')?.valueType).toBe('boolean');
    expect(sensor('light')?.hardware).toEqual({ bus: 1, address: 0x5c, device: 'bh1750', field: 'illuminance' });
    expect(sensor('adc')?.hardware).toEqual({ bus: 1, address: 0x48, device: 'ads1115', field: 'voltage', channel: 2, gain: 2 / 3 });
    expect(sensor('gps')?.hardware).toEqual({ path: '/dev/ttyAMA0', baud: 115200, parser: 'nmea', field: 'speed' });
    expect(sensor('scale')?.hardware).toEqual({ path: '/dev/ttyUSB0', baud: 9600, parser: 'regex', pattern: 'W=(?<value>[0-9.]+)' });
    expect(sensor('co2')?.hardware).toEqual({ topic: 'site/co2', json_path: 'data.ppm', url: 'mqtt://127.0.0.1:1883' });
    expect(sensor('outdoor')?.hardware).toEqual({ topic: 'weather/temp', url: 'mqtts://broker.example:8883' });
    expect(sensor('people')?.hardware).toEqual({ source: 'sim' });
    expect(sensor('tags')?.hardware).toEqual({ source: 'mqtt', topic: 'site/tags', url: 'mqtt://127.0.0.1:1883' });
    expect(sensor('radar')?.hardware).toEqual({ source: 'serial', path: '/dev/ttyACM0', baud: 9600 });
  });

  it('reads every filter form', () => {
    expect(sensor('co2')?.filters).toEqual([{ kind: 'moving_average', windowUs: undefined, samples: 5 }]);
    expect(sensor('wave')?.filters).toEqual([
      { kind: 'moving_average', windowUs: 10_000_000, samples: undefined },
      { kind: 'moving_average', windowUs: 2_000_000, samples: undefined },
      { kind: 'exponential_moving_average', alpha: 0.2 },
      { kind: 'exponential_moving_average', alpha: 0.5 },
      { kind: 'median', windowUs: undefined, samples: 5 },
      { kind: 'median', windowUs: undefined, samples: 3 },
      { kind: 'median', windowUs: 10_000_000, samples: undefined },
      { kind: 'clamp', min: -40, max: 85 },
      { kind: 'calibrate_linear', slope: 1.02, offset: -0.5 },
      { kind: 'calibrate_linear', slope: 2, offset: 1 },
      { kind: 'delta', minChange: 0.5 },
      { kind: 'throttle', intervalUs: 5_000_000 },
      { kind: 'timeout', afterUs: 30_000_000, value: undefined },
      { kind: 'timeout', afterUs: 60_000_000, value: 0 },
    ]);
  });

  it('reads every signal kind and faults', () => {
    expect(sensor('door')?.sim?.signal).toEqual({ kind: 'steps', steps: [[0, false], [5_000_000, true], [7_500_000, false]] });
    expect(sensor('outdoor')?.sim).toMatchObject({
      signal: { kind: 'random_walk', start: 10, step: 0.5, min: -20, max: 40 },
      faults: [{ atUs: 60_000_000, forUs: 10_000_000, mode: 'error' }],
    });
    expect(sensor('wave')?.sim).toMatchObject({
      signal: { kind: 'square', low: 0, high: 5, periodUs: 2_000_000, duty: 0.25 },
      faults: [
        { atUs: 30_000_000, forUs: 5_000_000, mode: 'timeout' },
        { atUs: 60_000_000, forUs: 1_000_000, mode: 'nan' },
      ],
    });
    expect(sensor('sine')?.sim?.signal).toEqual({ kind: 'sine', mean: 22, amplitude: 3, periodUs: 600_000_000, phaseUs: 60_000_000 });
    expect(sensor('recorded')?.sim?.signal).toEqual({
      kind: 'csv',
      path: join(FIXTURES, 'recording.csv'),
      timeColumn: 't',
      valueColumn: 'value',
    });
    expect(sensor('label')?.sim?.signal).toEqual({ kind: 'constant', value: 'open' });
    expect(sensor('grid')?.sim?.signal).toEqual({ kind: 'constant', value: { cells: [[0, 1], [1, 0]] } });
    expect(sensor('people')?.sim?.signal).toEqual({
      kind: 'paths',
      paths: { alice: [[0, 1, 1], [10_000_000, 5, 5]], bob: [[0, 9, 1]] },
    });
    expect(sensor('people')).toMatchObject({ valueType: 'json', staleAfterUs: 10_000_000 });
  });

  it('reads expr and filter patterns and keeps other kinds as params', () => {
    const [expr, filter, agg, queue] = m.patterns;
    expect(expr).toMatchObject({ kind: 'expr', mode: 'poll', unit: 'ppm', expr: { text: 'co2 * 2' }, params: {} });
    expect(filter).toMatchObject({ kind: 'filter', expr: { text: 'light' }, filters: [{ kind: 'median', samples: 3 }] });
    expect(agg?.params).toEqual({ zone: 'hall', quantity: 'temperature', window: '10s' });
    expect(queue?.params).toEqual({ zone: 'desk', threshold: 3, inputs: ['people'] });
  });

  it('reads every action form with its defaults', () => {
    const [door, warm] = m.conditions;
    expect(door).toMatchObject({ mode: 'event', actionMode: 'restart', forUs: undefined });
    expect(door?.actions.map(({ pos: _pos, ...a }) => a)).toEqual([
      { kind: 'log', message: 'door {door}', level: 'warn' },
      { kind: 'mqtt', topic: 'site/door', payload: { open: true }, qos: 2, retain: true },
      { kind: 'mqtt', topic: 'site/ping', payload: {}, qos: 1, retain: false },
      { kind: 'gpio', pin: 22, value: 1, chip: 'gpiochip4' },
      { kind: 'callback', module: join(FIXTURES, 'callbacks', 'alert.mjs'), exportName: 'default', timeoutUs: 5_000_000 },
      { kind: 'callback', module: 'some-package', exportName: 'run', timeoutUs: 500_000 },
      { kind: 'http', url: 'https://hooks.example/door', body: { door: '{door}' }, timeoutUs: 2_000_000, retries: 0 },
      { kind: 'http', url: 'http://hooks.example/ping', body: null, timeoutUs: 5_000_000, retries: 3 },
    ]);
    expect(door?.onFalling).toMatchObject([{ kind: 'log', message: 'closed', level: 'info' }]);
    expect(warm).toMatchObject({ forUs: 30_000_000, actionMode: 'queued', actions: [], onFalling: [] });
  });

  it('keeps names and secrets spelt as written', () => {
    expect(m.outputs.mqtt).toEqual({
      url: 'mqtt://127.0.0.1:1883',
      clientId: '0042',
      outboxMaxBytes: 512 * 1024,
      username: 'spatia',
      password: '1234',
    });
  });
});

describe('defaults and small forms', () => {
  const minimal = (body: string) => loadConfigText(`version: 1\n${body}`, '/site/deploy.yaml');

  it('gives every runtime default for a file with only a version', () => {
    const r = minimal('');
    expect(r.model?.runtime).toEqual({
      tickUs: 100_000,
      stateDir: undefined,
      checkpointEveryUs: 30_000_000,
      initial: 'fire',
      resumeMaxGapUs: 300_000_000,
      mode: 'auto',
      board: undefined,
    });
    expect(r.model).toMatchObject({ zones: [], sensors: [], patterns: [], conditions: [], outputs: { mqtt: undefined } });
  });

  it.each([
    ['10 Hz', 100_000],
    ['2.5 Hz', 400_000],
    ['20', 50_000],
  ])('reads tick_rate %j', (rate, us) => {
    expect(minimal(`runtime: {tick_rate: ${rate}}`).model?.runtime.tickUs).toBe(us);
  });

  it('resolves a relative state_dir against the config file directory', () => {
    expect(minimal('runtime: {state_dir: ./state}').model?.runtime.stateDir).toBe('/site/state');
  });

  it('points expressions at their first character, inside quotes and block scalars', () => {
    const r = minimal(
      [
        'conditions:',
        '  - {id: a, when: x > 1}',
        "  - {id: b, when: 'x > 1'}",
        '  - {id: c, when: "x > 1"}',
        '  - id: d',
        '    when: |',
        '',
        '      held(x > 1,',
        '        3s)',
        '  - {id: e, when: true}',
        '  - {id: f, when: 1e3}',
      ].join('\n'),
    );
    const whens = r.model?.conditions.map((c) => [c.when.text, c.when.pos.line, c.when.pos.col]);
    expect(whens).toEqual([
      ['x > 1', 3, 19],
      ['x > 1', 4, 20],
      ['x > 1', 5, 20],
      ['held(x > 1,\n  3s)', 9, 7],
      ['true', 11, 19],
      ['1e3', 12, 19],
    ]);
  });

  it('follows aliases, merge keys, and ignores x- keys at the top level', () => {
    const r = minimal(
      [
        'x-common: &common {kind: mock, signal: {constant: 1}}',
        'x-filters: &f [{delta: 1}]',
        'sensors:',
        '  - <<: *common',
        '    id: a',
        '    filters: *f',
        '  - <<: *common',
        '    id: b',
        '    signal: {constant: 2}',
      ].join('\n'),
    );
    expect(r.issues.items).toEqual([]);
    expect(r.model?.sensors.map((s) => [s.id, s.filters.length, s.sim?.signal])).toEqual([
      ['a', 1, { kind: 'constant', value: 1 }],
      ['b', 0, { kind: 'constant', value: 2 }],
    ]);
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spatia-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports an unreadable file', () => {
    const path = join(dir, 'missing.yaml');
    const r = loadConfigFile(path);
    expect(r.model).toBeUndefined();
    expect(r.issues.items.map(formatIssue)).toEqual([
      `${path}:1:1 (file): cannot read the file: ENOENT: no such file or directory, open '${path}' [SPATIA_CONFIG_FILE]`,
    ]);
  });

  it('reads a file from disk', () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(path, 'version: 1\n');
    expect(loadConfigFile(path).model?.file).toBe(path);
  });
});
