import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, loadFixture } from './fixtures.js';

const load = loadFixture;

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
      journalSyncEveryUs: 500_000,
      journalKeepUs: 7_200_000_000,
      logLevel: 'debug',
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
    expect(sensor('outdoor')?.hardware).toEqual({
      topic: 'weather/temp',
      url: 'mqtts://broker.example:8883',
      client_id: 'outdoor-pi',
      username: 'weather',
      password: '0042',
      protocol_version: 4,
      ca: join(FIXTURES, 'certs', 'ca.pem'),
      cert: join(FIXTURES, 'certs', 'client.pem'),
      key: '/etc/spatia/client.key',
    });
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
      { kind: 'gpio', pin: 22, value: 1, chip: 'gpiochip4', safe: 0 },
      { kind: 'callback', module: join(FIXTURES, 'callbacks', 'alert.mjs'), exportName: 'default', timeoutUs: 5_000_000 },
      { kind: 'callback', module: 'some-package', exportName: 'run', timeoutUs: 500_000 },
      { kind: 'http', url: 'https://hooks.example/door', body: { door: '{door}' }, headers: {}, timeoutUs: 2_000_000, retries: 0 },
      { kind: 'http', url: 'http://hooks.example/ping', body: null, headers: {}, timeoutUs: 5_000_000, retries: 3 },
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
      protocolVersion: 5,
      ca: undefined,
      cert: undefined,
      key: undefined,
    });
  });
});
