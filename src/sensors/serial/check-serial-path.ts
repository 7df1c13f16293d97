import { constants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What `spatia doctor` learns about a serial device path without opening it. */
export interface SerialPathCheck {
  readonly path: string;
  readonly exists: boolean;
  /** Where the path leads after following symlinks (a /dev/serial/by-id link -> /dev/ttyUSB0). */
  readonly resolvedPath: string | undefined;
  readonly isCharacterDevice: boolean;
  readonly readable: boolean;
  readonly writable: boolean;
  /** True when nothing on the file system stands in the way of opening it. */
  readonly ok: boolean;
  /** What to do (when not ok), or a suggestion (a stable by-id name for a /dev/ttyUSBn path). */
  readonly hint: string | undefined;
}

/** The file-system calls the check uses (node:fs/promises by default). */
export interface SerialPathFs {
  realpath(path: string): Promise<string>;
  isCharacterDevice(path: string): Promise<boolean>;
  /** Resolves when the current user may read and write `path`. */
  canReadWrite(path: string): Promise<{ readable: boolean; writable: boolean }>;
  readdir(dir: string): Promise<string[]>;
}

export const BY_ID_DIR = '/dev/serial/by-id';
const DIALOUT = 'add the user to the dialout group (sudo usermod -aG dialout $USER, then log in again)';

/** Checks `path` for `spatia doctor`; never rejects. */
export async function checkSerialPath(path: string, fs: SerialPathFs = nodeSerialPathFs): Promise<SerialPathCheck> {
  const resolvedPath = await fs.realpath(path).catch(() => undefined);
  const byId = await byIdLinks(fs);
  if (resolvedPath === undefined) {
    const present = byId.length > 0 ? ` Present now: ${byId.map((l) => l.link).join(', ')}.` : '';
    return { path, exists: false, resolvedPath, isCharacterDevice: false, readable: false, writable: false, ok: false, hint: `${notFoundHint(path)}${present}` };
  }
  const isCharacterDevice = await fs.isCharacterDevice(resolvedPath).catch(() => false);
  const { readable, writable } = await fs.canReadWrite(path).catch(() => ({ readable: false, writable: false }));
  const ok = isCharacterDevice && readable && writable;
  let hint: string | undefined;
  if (!isCharacterDevice) hint = `${resolvedPath} is not a character device, so not a serial port`;
  else if (!readable || !writable) hint = `no read/write permission on ${resolvedPath}: ${DIALOUT}`;
  else if (!path.startsWith(`${BY_ID_DIR}/`)) {
    const stable = byId.find((l) => l.target === resolvedPath);
    if (stable !== undefined) hint = `${path} may change name when devices are re-plugged; the stable name is ${stable.link}`;
  }
  return { path, exists: true, resolvedPath, isCharacterDevice, readable, writable, ok, hint };
}

function notFoundHint(path: string): string {
  if (path.startsWith(`${BY_ID_DIR}/`)) {
    return `${path} not found: the device is unplugged, or enumerated under another name (ls -l ${BY_ID_DIR}/).`;
  }
  if (/^\/dev\/(ttyAMA\d+|ttyS0|serial[01])$/.test(path)) {
    return `${path} not found: enable the UART (Raspberry Pi: raspi-config > Interface Options > Serial Port, or enable_uart=1 in config.txt).`;
  }
  if (/^\/dev\/ttyTHS\d+$/.test(path)) return `${path} not found: check the Jetson's UART is enabled in its device tree.`;
  return `${path} not found: check the cable and the path (ls -l ${BY_ID_DIR}/, dmesg | tail).`;
}

async function byIdLinks(fs: SerialPathFs): Promise<Array<{ link: string; target: string | undefined }>> {
  const names = await fs.readdir(BY_ID_DIR).catch(() => []);
  return Promise.all(
    names.sort().map(async (name) => {
      const link = join(BY_ID_DIR, name);
      return { link, target: await fs.realpath(link).catch(() => undefined) };
    }),
  );
}

/** The real file system. */
export const nodeSerialPathFs: SerialPathFs = {
  realpath: (p) => realpath(p),
  isCharacterDevice: async (p) => (await stat(p)).isCharacterDevice(),
  canReadWrite: async (p) => ({
    readable: await access(p, constants.R_OK).then(() => true, () => false),
    writable: await access(p, constants.W_OK).then(() => true, () => false),
  }),
  readdir: (dir) => readdir(dir),
};
