import { describe, expect, it } from 'vitest';
import type { ValueType } from '../../../../src/config/model.js';
import { createLineParser } from '../../../../src/sensors/serial/create-line-parser.js';
import {
  createSerialEntitiesSource,
  createSerialSource,
  DEFAULT_SILENCE_MS,
  silenceMsOf,
} from '../../../../src/sensors/serial/create-serial-source.js';
import { RecordingSink } from '../../../helpers/recording-sink.js';
import { FakeSerialDevice, ManualTimers } from './fakes.js';
import { serialSensor } from './sensor-model.js';

function nmea(body: string): string {
  const sum = [...Buffer.from(body)].reduce((a, b) => a ^ b, 0);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

describe('createSerialSource: the configured parser, end to end through a fake port', () => {
  it.each<[string, Record<string, unknown>, ValueType, string, unknown[]]>([
    ['line', {}, 'number', '20\r\n21.5\r\n', [20, 21.5]],
    ['line, string', {}, 'string', ' OPEN \n', ['OPEN']],
    ['json field', { parser: 'json', field: 'env.t' }, 'number', '{"env":{"t":19.5}}\n', [19.5]],
    ['json whole', { parser: 'json' }, 'json', '{"a":[1]}\n', [{ a: [1] }]],
    ['regex', { parser: 'regex', pattern: 'CO2=(?<value>\\d+)ppm' }, 'number', 'CO2=415ppm\n', [415]],
    ['nmea field', { parser: 'nmea', field: 'altitude' }, 'number', `${nmea('GPRMC,1,V,,,,,,,,,,N')}\r\n${nmea('GNGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,')}\r\n`, [545.4]],
  ])('%s', async (_name, hardware, valueType, input, expected) => {
    const device = new FakeSerialDevice();
    const sink = new RecordingSink();
    const source = createSerialSource(serialSensor({ path: '/dev/ttyUSB0', ...hardware }, { valueType }), {
      createPort: device.factory,
      timers: new ManualTimers(),
      realpath: async (p) => p,
    });
    await source.start(sink);
    device.last.send(input);
    expect(sink.values).toEqual(expected);
    await source.close();
  });

  it('defaults the baud rate to 9600', async () => {
    const device = new FakeSerialDevice();
    const sensor = serialSensor({ path: '/dev/ttyACM0' });
    const source = createSerialSource({ ...sensor, hardware: { path: '/dev/ttyACM0' } }, { createPort: device.factory, timers: new ManualTimers(), realpath: async (p) => p });
    await source.start(new RecordingSink());
    expect(device.last.options.baudRate).toBe(9600);
    await source.close();
  });

  it('refuses a model the loader would have refused', () => {
    expect(() => createSerialSource({ ...serialSensor({}), hardware: {} })).toThrow('needs a path');
    expect(() => createLineParser(serialSensor({ path: '/x', parser: 'regex' }))).toThrow('needs a pattern');
    expect(() => createLineParser(serialSensor({ path: '/x', parser: 'regex', pattern: '(' }))).toThrow('invalid pattern');
    expect(() => createLineParser(serialSensor({ path: '/x', parser: 'csv' }))).toThrow('unknown serial parser "csv"');
  });
});

describe('createSerialEntitiesSource', () => {
  it('delivers each JSON record or array of records as parsed', async () => {
    const device = new FakeSerialDevice();
    const sink = new RecordingSink();
    const sensor = serialSensor({ source: 'serial', path: '/dev/ttyUSB1', baud: 115200 }, { kind: 'entities', valueType: 'json' });
    const source = createSerialEntitiesSource(sensor, { createPort: device.factory, timers: new ManualTimers(), realpath: async (p) => p });
    await source.start(sink);
    device.last.send('{"id":"a","x":1,"y":2}\n[{"id":"b","x":3,"y":4,"z":0.5}]\n42\n');
    expect(sink.values).toEqual([{ id: 'a', x: 1, y: 2 }, [{ id: 'b', x: 3, y: 4, z: 0.5 }]]);
    expect(sink.faults.map((f) => f.message)).toEqual(['expected an entity record {id, x, y[, z]} or an array of them: "42"']);
    expect(device.last.options.baudRate).toBe(115200);
    await source.close();
  });
});

describe('silenceMsOf', () => {
  it.each<[string, Record<string, unknown>, number | undefined, number]>([
    ['default', {}, undefined, DEFAULT_SILENCE_MS],
    ['stale_after', {}, 5_000_000, 5_000],
    ['stale_after below the 1 s floor', {}, 200_000, 1_000],
    ['a silence key, should the schema add one', { silence_us: 30_000_000 }, 5_000_000, 30_000],
  ])('%s', (_name, hardware, staleAfterUs, expected) => {
    expect(silenceMsOf(serialSensor({ path: '/x', ...hardware }, staleAfterUs === undefined ? {} : { staleAfterUs }))).toBe(expected);
  });
});
