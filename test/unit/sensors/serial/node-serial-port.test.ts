import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeSerialPort, errnoOf, type SerialPortClass } from '../../../../src/sensors/serial/node-serial-port.js';
import type { SerialOpenError } from '../../../../src/sensors/serial/serial-port-port.js';

/** serialport's own mock (its MockBinding), remembering each instance so a test can poke it. */
function mockClass(): { Port: SerialPortClass; instances: SerialPortMock[] } {
  const instances: SerialPortMock[] = [];
  class Recorded extends SerialPortMock {
    constructor(options: { path: string; baudRate: number; autoOpen: false }) {
      super(options);
      instances.push(this);
    }
  }
  return { Port: Recorded as unknown as SerialPortClass, instances };
}

async function opened(path = '/dev/ttyMOCK0') {
  SerialPortMock.binding.createPort(path, { record: true });
  const { Port, instances } = mockClass();
  const port = createNodeSerialPort({ path, baudRate: 9600 }, async () => Port);
  const seen: string[] = [];
  port.onData((chunk) => seen.push(`data ${Buffer.from(chunk).toString()}`));
  port.onError((err) => seen.push(`error ${err.message}`));
  port.onClose((err) => seen.push(`close ${err?.message ?? ''}`));
  await port.open();
  const inner = instances[0];
  if (inner === undefined) throw new Error('no instance');
  return { port, inner, seen };
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
};

afterEach(() => SerialPortMock.binding.reset());

describe('createNodeSerialPort (on serialport MockBinding)', () => {
  it('delivers data and writes bytes', async () => {
    const { port, inner, seen } = await opened();
    inner.port?.emitData(Buffer.from('21.5\n'));
    await until(() => seen.length > 0);
    expect(seen).toEqual(['data 21.5\n']);
    await port.write('ping\n');
    expect(inner.port?.recording.toString()).toBe('ping\n');
    await port.close();
  });

  it('a close we asked for is not reported; writes after it reject; close twice is fine', async () => {
    const { port, seen } = await opened();
    await port.close();
    await port.close();
    await expect(port.write('x')).rejects.toThrow('is not open');
    expect(seen).toEqual([]);
  });

  it('a disconnect is reported once through onClose, and fails pending writes', async () => {
    const { port, inner, seen } = await opened();
    const disconnected = Object.assign(new Error('Input/output error'), { disconnected: true });
    inner.emit('close', disconnected);
    inner.emit('error', new Error('after the fact'));
    expect(seen).toEqual(['close Input/output error']);
    await expect(port.write('x')).rejects.toThrow('not open');
    await port.close();
  });

  it('end of stream and errors are reported as a vanished device', async () => {
    const a = await opened('/dev/ttyMOCK1');
    a.inner.emit('end');
    expect(a.seen).toEqual(['close end of stream']);
    await a.port.close();
    const b = await opened('/dev/ttyMOCK2');
    b.inner.emit('error', new Error('EIO'));
    expect(b.seen).toEqual(['error EIO']);
    await b.port.close();
  });

  it('open failures reject with the cause; a port object opens once', async () => {
    const { Port } = mockClass();
    const missing = createNodeSerialPort({ path: '/dev/ttyNOPE', baudRate: 9600 }, async () => Port);
    await expect(missing.open()).rejects.toThrow('Port does not exist');
    await expect(missing.open()).rejects.toThrow('opened at most once');
    await missing.close();
  });

  it('without the serialport package, open says how to install it', async () => {
    const port = createNodeSerialPort({ path: '/dev/ttyUSB0', baudRate: 9600 }, () => Promise.reject(new Error("Cannot find package 'serialport'")));
    const err = (await port.open().then(() => undefined, (e: unknown) => e)) as SerialOpenError;
    expect(err.errno).toBe('UNAVAILABLE');
    expect(err.message).toContain('npm install serialport');
  });

  it.each([
    ['Error: No such file or directory, cannot open /dev/ttyUSB0', 'ENOENT'],
    ['Error: Permission denied, cannot open /dev/ttyUSB0', 'EACCES'],
    ['Error Resource temporarily unavailable Cannot lock port', 'EBUSY'],
    ['Error: Inappropriate ioctl for device setting custom baud rate of 9600', 'ENOTTY'],
    ['Error: Input/output error, cannot open /dev/ttyACM0', 'EIO'],
    ['Port does not exist', undefined],
  ])('errnoOf(%j) = %s', (message, errno) => {
    expect(errnoOf(message)).toBe(errno);
  });
});
