import { describe, expect, it } from 'vitest';
import { createSerialSource, type SerialFactoryDeps } from '../../../../src/sensors/serial/create-serial-source.js';
import type { PushSource } from '../../../../src/sensors/live/source.js';
import type { LineParser } from '../../../../src/sensors/serial/parse-result.js';
import { SerialSource } from '../../../../src/sensors/serial/serial-source.js';
import { RecordingSink } from '../../../helpers/recording-sink.js';
import { FakeSerialDevice, ManualTimers, settle } from './fakes.js';
import { serialSensor } from './sensor-model.js';

const BY_ID = '/dev/serial/by-id/usb-FTDI_FT232R_A50285BI-if00-port0';

interface Rig {
  readonly source: PushSource;
  readonly device: FakeSerialDevice;
  readonly timers: ManualTimers;
  readonly sink: RecordingSink;
}

async function started(hardware: Record<string, unknown> = {}, deps: SerialFactoryDeps = {}, device = new FakeSerialDevice()): Promise<Rig> {
  const timers = new ManualTimers();
  const sink = new RecordingSink();
  const source = createSerialSource(serialSensor({ path: BY_ID, ...hardware }), {
    createPort: device.factory,
    timers,
    realpath: async (p) => {
      if (device.openFailure?.errno === 'ENOENT') throw new Error('ENOENT');
      return p === BY_ID ? '/dev/ttyUSB0' : p;
    },
    ...deps,
  });
  await source.start(sink);
  return { source, device, timers, sink };
}

describe('SerialSource', () => {
  it('opens the by-id path itself, names the tty behind it, and delivers parsed lines', async () => {
    const { device, sink } = await started({ baud: 115200 });
    expect(device.last.options).toEqual({ path: BY_ID, baudRate: 115200 });
    expect(sink.transports[0]).toEqual({ transport: `serial:${BY_ID}`, status: 'opened', message: `${BY_ID} (-> /dev/ttyUSB0) at 115200 baud` });
    device.last.send('21.5\r\n22');
    device.last.send('.25\r\nnot a number\r\n23\r\n');
    expect(sink.log).toEqual(['transport opened', 'transport connected', 'value 21.5', 'value 22.25', 'fault garbage SPATIA_SENSOR_GARBAGE', 'value 23']);
    expect(sink.faults[0]?.message).toBe('not a number: "not a number"');
  });

  it('reports an over-long line and invalid UTF-8 as garbage and carries on', async () => {
    const { device, sink } = await started({}, { maxLineBytes: 16 });
    device.last.send(`${'9'.repeat(40)}\n`);
    device.last.send(Uint8Array.from([0xc3, 0x28, 0x0a]));
    device.last.send('5\n');
    expect(sink.faults.map((f) => f.message)).toEqual([`line longer than 16 bytes (dropped): "${'9'.repeat(40)}"`, 'not valid UTF-8: "\uFFFD("']);
    expect(sink.values).toEqual([5]);
  });

  it('a device that cannot be opened: lost once, transport errors naming the fix, retries 0.5 s doubling to 30 s', async () => {
    const device = new FakeSerialDevice();
    device.openFailure = { message: 'No such file or directory, cannot open /x', errno: 'ENOENT' };
    const { timers, sink } = await started({}, {}, device);
    expect(sink.losses.map((f) => [f.status, f.code])).toEqual([['error', 'SPATIA_SERIAL_OPEN']]);
    expect(sink.transports[0]).toMatchObject({ status: 'error', code: 'SPATIA_SERIAL_OPEN' });
    expect(sink.transports[0]?.message).toBe(`serial device ${BY_ID} not found: check the cable and the path (ls -l /dev/serial/by-id/); retrying in 0.5 s`);
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      delays.push(...timers.delays());
      await timers.advance(timers.delays()[0] ?? 0);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(device.ports).toHaveLength(10);
    expect(device.ports.every((p) => p.closed)).toBe(true);
    expect(sink.losses).toHaveLength(1);

    device.openFailure = undefined;
    await timers.advance(30000);
    expect(sink.log.at(-1)).toBe('transport opened');
    device.last.send('1\n');
    expect(sink.log.slice(-2)).toEqual(['transport connected', 'value 1']);
    // Data proved the device alive: the next outage starts again at 0.5 s.
    device.last.vanish();
    expect(timers.delays()).toEqual([500]);
  });

  it.each([
    ['EACCES', 'Permission denied, cannot open /dev/ttyUSB0', 'no permission to open', 'dialout group'],
    ['EBUSY', 'Resource temporarily unavailable Cannot lock port', 'is busy', 'another program'],
    [undefined, 'something odd', 'cannot open serial device', 'something odd'],
  ] as const)('open failure %s names the cause', async (errno, message, a, b) => {
    const device = new FakeSerialDevice();
    device.openFailure = { message, errno };
    const { sink } = await started({}, {}, device);
    expect(sink.losses[0]?.message).toContain(a);
    expect(sink.losses[0]?.message).toContain(b);
  });

  it('a vanished device (the port closes under us): lost, disconnected, reopened with backoff, values again', async () => {
    const { device, timers, sink } = await started();
    const first = device.last;
    first.send('1\n');
    first.send('half a li');
    first.vanish(new Error('bad file descriptor'));
    expect(first.closed).toBe(true);
    expect(sink.losses.map((f) => [f.status, f.code, f.message])).toEqual([
      ['error', 'SPATIA_SENSOR_DISCONNECTED', `serial device ${BY_ID} (-> /dev/ttyUSB0) went away (bad file descriptor); reopening in 0.5 s`],
    ]);
    expect(sink.transports.at(-1)).toMatchObject({ status: 'disconnected', code: 'SPATIA_SENSOR_DISCONNECTED' });
    await timers.advance(500);
    expect(device.ports).toHaveLength(2);
    device.last.send('ne\n2\n');
    expect(sink.log.slice(-6)).toEqual(['lost SPATIA_SENSOR_DISCONNECTED', 'transport disconnected SPATIA_SENSOR_DISCONNECTED', 'transport opened', 'transport connected', 'fault garbage SPATIA_SENSOR_GARBAGE', 'value 2']);
    // The abandoned port is deaf.
    first.isOpen = true;
    first.send('99\n');
    expect(sink.values).toEqual([1, 2]);
  });

  it('a port error is a vanished device too', async () => {
    const { device, sink } = await started();
    device.last.fail(new Error('Input/output error'));
    expect(sink.log.slice(-2)).toEqual(['lost SPATIA_SENSOR_DISCONNECTED', 'transport disconnected SPATIA_SENSOR_DISCONNECTED']);
    expect(device.last.closed).toBe(true);
  });

  it('the silence watchdog: data keeps it quiet; silence for its period closes and reopens the port', async () => {
    const { device, timers, sink } = await started({}, { silenceMs: 10_000 });
    for (let i = 0; i < 5; i++) {
      await timers.advance(9_000);
      device.last.send(`${i}\n`);
    }
    expect(sink.losses).toEqual([]);
    await timers.advance(10_000);
    expect(sink.losses.map((f) => [f.code, f.message])).toEqual([
      ['SPATIA_SERIAL_SILENT', `no data from ${BY_ID} (-> /dev/ttyUSB0) for 10 s: considered gone; reopening in 0.5 s`],
    ]);
    expect(device.ports[0]?.closed).toBe(true);
    // Reopened, still silent: one lost per outage, but every attempt in the transport log, backing off.
    await timers.advance(500 + 10_000 + 1000 + 10_000);
    expect(sink.losses).toHaveLength(1);
    expect(sink.transports.filter((e) => e.code === 'SPATIA_SERIAL_SILENT').map((e) => e.message?.split('; ')[1])).toEqual([
      'reopening in 0.5 s',
      'reopening in 1 s',
      'reopening in 2 s',
    ]);
    await timers.advance(2000);
    device.last.send('7\n');
    expect(sink.log.slice(-3)).toEqual(['transport opened', 'transport connected', 'value 7']);
  });

  it('derives the watchdog from stale_after', async () => {
    const device = new FakeSerialDevice();
    const timers = new ManualTimers();
    const sink = new RecordingSink();
    const source = createSerialSource(serialSensor({ path: '/dev/ttyS0' }, { staleAfterUs: 3_000_000 }), { createPort: device.factory, timers, realpath: async (p) => p });
    await source.start(sink);
    await timers.advance(2_999);
    expect(sink.losses).toEqual([]);
    await timers.advance(1);
    expect(sink.losses[0]?.code).toBe('SPATIA_SERIAL_SILENT');
    await source.close();
  });

  it('close(): releases the port, stops every timer, reports closed, then stays quiet', async () => {
    const { source, device, timers, sink } = await started();
    device.last.send('1\n');
    await source.close();
    expect(device.last.closed).toBe(true);
    expect(timers.size).toBe(0);
    expect(sink.log.at(-1)).toBe('transport closed');
    const n = sink.log.length;
    device.last.vanish();
    await timers.advance(60_000);
    expect(sink.log).toHaveLength(n);
    await source.close();
  });

  it('close() while waiting to retry cancels the retry', async () => {
    const device = new FakeSerialDevice();
    device.openFailure = { message: 'gone', errno: 'ENOENT' };
    const { source, timers } = await started({}, {}, device);
    expect(timers.size).toBe(1);
    await source.close();
    expect(timers.size).toBe(0);
    await timers.advance(60_000);
    expect(device.ports).toHaveLength(1);
  });

  it('close() during a pending open waits for it and closes the port it opened', async () => {
    const device = new FakeSerialDevice();
    let release = (): void => {};
    device.gate = new Promise((resolve) => (release = resolve));
    const timers = new ManualTimers();
    const sink = new RecordingSink();
    const source = createSerialSource(serialSensor({ path: '/dev/ttyUSB0' }), { createPort: device.factory, timers, realpath: async (p) => p });
    const starting = source.start(sink);
    await settle();
    const closing = source.close();
    release();
    await Promise.all([starting, closing]);
    expect(device.last.closed).toBe(true);
    expect(timers.size).toBe(0);
    expect(sink.log).toEqual(['transport closed']);
  });

  it('a throwing parser cannot crash the data path', async () => {
    const device = new FakeSerialDevice();
    const sink = new RecordingSink();
    const parse: LineParser = (line) => {
      if (line === 'boom') throw new Error('bug');
      return { kind: 'value', value: line };
    };
    const options = { path: '/dev/ttyUSB0', baudRate: 9600, parse, silenceMs: 1000, maxLineBytes: 100 };
    const deps = { createPort: device.factory, timers: new ManualTimers(), realpath: async (p: string) => p, backoffInitialMs: 500, backoffMaxMs: 30_000 };
    const source = new SerialSource(options, deps);
    await source.start(sink);
    device.last.send('boom\nok\n');
    expect(sink.faults[0]?.message).toBe('parser failed (bug): "boom"');
    expect(sink.values).toEqual(['ok']);
    await source.close();
  });
});
