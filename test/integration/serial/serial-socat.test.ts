import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SensorModel, ValueType } from '../../../src/config/model.js';
import type { PushSource } from '../../../src/sensors/live/source.js';
import { createSerialSource, type SerialFactoryDeps } from '../../../src/sensors/serial/create-serial-source.js';
import { hangupAwareBinding } from '../../../src/sensors/serial/hangup-aware-binding.js';
import { createNodeSerialPort, loadSerialPortClass } from '../../../src/sensors/serial/node-serial-port.js';
import type { SerialPortPort } from '../../../src/sensors/serial/serial-port-port.js';
import { RecordingSink } from '../../helpers/recording-sink.js';
import { sensorModel } from '../../helpers/sensor-model.js';
import { SocatPty, socatMissing } from '../../helpers/socat-pty.js';

/**
 * The serial source against a real pseudo-terminal pair (socat): the source reads end `a`, the
 * test plays the device on end `b` through a second real serial port.
 */

const missing = socatMissing();
if (missing !== undefined) console.warn(`skipping serial integration tests: ${missing}`);

/** Waits for `cond`, running `poke` between checks (e.g. the device sending another line). */
async function until(what: string, cond: () => boolean, poke?: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    if (poke !== undefined) await poke().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function sensor(path: string, hardware: Record<string, unknown>, valueType: ValueType): SensorModel {
  return sensorModel({ id: 's', kind: 'serial', valueType, hardware: { path, baud: 9600, parser: 'line', ...hardware }, pos: { file: 't.yaml', line: 1, col: 1, path: 'sensors[0]' } });
}

function nmea(body: string): string {
  const sum = [...Buffer.from(body)].reduce((a, b) => a ^ b, 0);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

describe.skipIf(missing !== undefined)('serial source over a socat pseudo-terminal pair', () => {
  let pty: SocatPty;
  let sources: PushSource[];
  let devices: SerialPortPort[];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  beforeEach(async () => {
    pty = await SocatPty.start();
    sources = [];
    devices = [];
    rejections.length = 0;
    process.on('unhandledRejection', onRejection);
  });

  afterEach(async () => {
    await Promise.all(sources.map((s) => s.close()));
    await Promise.all(devices.map((d) => d.close()));
    await pty.stop();
    process.off('unhandledRejection', onRejection);
    expect(rejections).toEqual([]);
  });

  async function startSource(hardware: Record<string, unknown>, valueType: ValueType, deps: SerialFactoryDeps = {}): Promise<RecordingSink> {
    const sink = new RecordingSink();
    const source = createSerialSource(sensor(pty.a, hardware, valueType), { backoffInitialMs: 50, backoffMaxMs: 400, silenceMs: 60_000, ...deps });
    sources.push(source);
    await source.start(sink);
    return sink;
  }

  /** The device side: end `b` opened as a real serial port. */
  async function device(): Promise<SerialPortPort> {
    const port = createNodeSerialPort({ path: pty.b, baudRate: 9600 });
    devices.push(port);
    await port.open();
    return port;
  }

  it.each<[string, Record<string, unknown>, ValueType, string, unknown]>([
    ['line', {}, 'number', '21.5\r\n', 21.5],
    ['json', { parser: 'json', field: 'env.temp' }, 'number', '{"env":{"temp":19.25}}\n', 19.25],
    ['regex', { parser: 'regex', pattern: 'CO2=(?<value>\\d+)' }, 'number', 'CO2=415 ppm\n', 415],
    ['nmea', { parser: 'nmea', field: 'latitude' }, 'number', `${nmea('GNGGA,123519,4807.038,S,01131.000,E,1,08,0.9,545.4,M,46.9,M,,')}\r\n`, -(48 + 7.038 / 60)],
  ])('%s: lines written on one end arrive parsed at the other', async (_name, hardware, valueType, line, expected) => {
    const sink = await startSource(hardware, valueType);
    expect(sink.statuses()).toEqual(['opened']);
    const dev = await device();
    await until('a value', () => sink.values.length > 0, () => dev.write(line));
    expect(sink.values[0]).toBeCloseTo(expected as number, 9);
    expect(sink.statuses()).toEqual(['opened', 'connected']);
    expect(sink.faults).toEqual([]);
  });

  it('garbage and a line split across writes', async () => {
    const sink = await startSource({}, 'number');
    const dev = await device();
    await until('the first value', () => sink.values.length > 0, () => dev.write('1\n'));
    await dev.write('no number here\n2');
    await dev.write('3.5\n');
    await until('garbage and 23.5', () => sink.values.includes(23.5) && sink.faults.length > 0);
    expect(sink.faults[0]?.message).toBe('not a number: "no number here"');
  });

  it('the peer dies: lost and disconnected, retries without crashing; it comes back: values flow again', async () => {
    const sink = await startSource({}, 'number');
    let dev = await device();
    await until('a value', () => sink.values.length > 0, () => dev.write('1\n'));

    let devGone = false;
    dev.onClose(() => (devGone = true));
    await pty.kill();
    await until('lost', () => sink.losses.length > 0);
    expect(sink.losses[0]).toMatchObject({ status: 'error', code: 'SPATIA_SENSOR_DISCONNECTED' });
    expect(sink.statuses()).toContain('disconnected SPATIA_SENSOR_DISCONNECTED');
    // The device side sees it too, and writing to a vanished port fails instead of hanging.
    await until('the device end to close', () => devGone);
    await expect(dev.write('x\n')).rejects.toThrow();
    // While the peer is gone the source keeps retrying (the link is gone: "not found").
    await until('two failed reopens', () => sink.transports.filter((e) => e.code === 'SPATIA_SERIAL_OPEN').length >= 2);
    expect(sink.transports.find((e) => e.code === 'SPATIA_SERIAL_OPEN')?.message).toContain('not found');
    expect(sink.losses).toHaveLength(1);

    await pty.restart();
    dev = await device();
    const before = sink.values.length;
    await until('values after the restart', () => sink.values.length > before, () => dev.write('2\n'));
    expect(sink.values.at(-1)).toBe(2);
    const after = sink.statuses().slice(sink.statuses().lastIndexOf('opened'));
    expect(after).toEqual(['opened', 'connected']);
  });

  it('a read that meets the hang-up (read(2) returns 0) is a disconnection, not an endless re-read (serialport/bindings-cpp#162)', async () => {
    const { SerialPort } = await import('serialport');
    const port = await hangupAwareBinding(SerialPort.binding).open({ path: pty.a, baudRate: 9600 });
    await pty.kill();
    // A read issued after the hang-up gets end of file, as one in flight during an unplug does.
    const read = port.read(Buffer.alloc(64), 0, 64);
    await expect(read).rejects.toThrow('the device hung up (a read returned end of file)');
    await port.close();
    // The serial ports spatia makes use the wrapped binding.
    const Port = await loadSerialPortClass();
    expect((new Port({ path: pty.a, baudRate: 9600, autoOpen: false }) as unknown as { settings: { binding: unknown } }).settings.binding).not.toBe(SerialPort.binding);
  });

  it('data silence: the watchdog fires, the port is reopened, data brings it back', async () => {
    const sink = await startSource({}, 'number', { silenceMs: 300 });
    const dev = await device();
    await until('a value', () => sink.values.length > 0, () => dev.write('1\n'));
    await until('the watchdog', () => sink.losses.length > 0);
    expect(sink.losses[0]).toMatchObject({ status: 'error', code: 'SPATIA_SERIAL_SILENT' });
    expect(sink.statuses()).toContain('disconnected SPATIA_SERIAL_SILENT');
    await until('a reopen', () => sink.statuses().filter((s) => s === 'opened').length >= 2);
    const before = sink.values.length;
    await until('values again', () => sink.values.length > before, () => dev.write('2\n'));
    expect(sink.statuses().at(-1)).toBe('connected');
  });

  it('a device that is missing at start: reported, retried, picked up when it appears', async () => {
    await pty.kill();
    const sink = await startSource({ parser: 'json' }, 'json');
    expect(sink.losses[0]).toMatchObject({ code: 'SPATIA_SERIAL_OPEN' });
    expect(sink.losses[0]?.message).toContain('not found');
    await pty.restart();
    const dev = await device();
    await until('a value', () => sink.values.length > 0, () => dev.write('{"a":1}\n'));
    expect(sink.values[0]).toEqual({ a: 1 });
  });

  it('close() ends every timer and handle (the source stays closed)', async () => {
    const sink = await startSource({}, 'number');
    const source = sources[0];
    await source?.close();
    expect(sink.statuses().at(-1)).toBe('closed');
    // The pty end is free again: another port can open it exclusively.
    const again = createNodeSerialPort({ path: pty.a, baudRate: 9600 });
    devices.push(again);
    await again.open();
  });
});
