import { describe, expect, it } from 'vitest';
import { checkSerialPath, type SerialPathFs } from '../../../../src/sensors/serial/check-serial-path.js';

/** A fake /dev: symlinks, character devices, and which of them the user may read and write. */
function fakeFs(opts: { links?: Record<string, string>; devices?: string[]; files?: string[]; noAccess?: string[] }): SerialPathFs {
  const links = opts.links ?? {};
  const devices = new Set(opts.devices ?? []);
  const files = new Set(opts.files ?? []);
  const resolve = (p: string): string => links[p] ?? p;
  const enoent = (p: string): Error => Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  return {
    realpath: async (p) => {
      const r = resolve(p);
      if (!devices.has(r) && !files.has(r)) throw enoent(p);
      return r;
    },
    isCharacterDevice: async (p) => devices.has(p),
    canReadWrite: async (p) => {
      const denied = (opts.noAccess ?? []).includes(resolve(p));
      return { readable: !denied, writable: !denied };
    },
    readdir: async (dir) => {
      const names = Object.keys(links).filter((l) => l.startsWith(`${dir}/`)).map((l) => l.slice(dir.length + 1));
      if (names.length === 0) throw enoent(dir);
      return names;
    },
  };
}

const FTDI = '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0';

describe('checkSerialPath', () => {
  it('a by-id path that resolves to a usable tty', async () => {
    const r = await checkSerialPath(FTDI, fakeFs({ links: { [FTDI]: '/dev/ttyUSB0' }, devices: ['/dev/ttyUSB0'] }));
    expect(r).toEqual({ path: FTDI, exists: true, resolvedPath: '/dev/ttyUSB0', isCharacterDevice: true, readable: true, writable: true, ok: true, hint: undefined });
  });

  it('suggests the stable by-id name for a /dev/ttyUSBn path', async () => {
    const r = await checkSerialPath('/dev/ttyUSB0', fakeFs({ links: { [FTDI]: '/dev/ttyUSB0' }, devices: ['/dev/ttyUSB0'] }));
    expect(r.ok).toBe(true);
    expect(r.hint).toBe(`/dev/ttyUSB0 may change name when devices are re-plugged; the stable name is ${FTDI}`);
  });

  it('no permission: the dialout group', async () => {
    const r = await checkSerialPath('/dev/ttyACM0', fakeFs({ devices: ['/dev/ttyACM0'], noAccess: ['/dev/ttyACM0'] }));
    expect(r).toMatchObject({ exists: true, readable: false, writable: false, ok: false });
    expect(r.hint).toContain('dialout group');
  });

  it('missing by-id device: lists what is plugged in now', async () => {
    const other = '/dev/serial/by-id/usb-Silicon_Labs_CP2102-if00-port0';
    const r = await checkSerialPath(FTDI, fakeFs({ links: { [other]: '/dev/ttyUSB1' }, devices: ['/dev/ttyUSB1'] }));
    expect(r).toMatchObject({ exists: false, ok: false, resolvedPath: undefined });
    expect(r.hint).toBe(`${FTDI} not found: the device is unplugged, or enumerated under another name (ls -l /dev/serial/by-id/). Present now: ${other}.`);
  });

  it.each([
    ['/dev/ttyAMA0', 'enable the UART'],
    ['/dev/serial0', 'enable the UART'],
    ['/dev/ttyTHS1', 'Jetson'],
    ['/dev/ttyUSB3', 'check the cable'],
  ])('missing %s: %s', async (path, hint) => {
    expect((await checkSerialPath(path, fakeFs({}))).hint).toContain(hint);
  });

  it('a regular file is not a serial port', async () => {
    const r = await checkSerialPath('/tmp/data.txt', fakeFs({ files: ['/tmp/data.txt'] }));
    expect(r).toMatchObject({ exists: true, isCharacterDevice: false, ok: false, hint: '/tmp/data.txt is not a character device, so not a serial port' });
  });

  it('works against the real file system without throwing', async () => {
    const r = await checkSerialPath('/dev/null');
    expect(r).toMatchObject({ exists: true, resolvedPath: '/dev/null', isCharacterDevice: true });
  });
});
