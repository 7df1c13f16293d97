import { read } from 'node:fs';
import { promisify } from 'node:util';

/**
 * serialport's Unix binding reads again whenever read(2) returns 0 bytes, forever
 * (serialport/bindings-cpp#162, open). On a tty read(2) returns 0 only after a hang-up: a USB
 * adapter unplugged, or a pseudo-terminal whose other end closed, while a read was in flight
 * (when no read is in flight, the binding's poller reports the hang-up itself). The device then
 * never shows as gone, a thread-pool thread spins, and memory grows with the promise chain.
 *
 * This wraps the binding so that a 0-byte read is the disconnection it is: the port's `read`
 * rejects, and serialport's stream closes the port with a disconnect error (the binding interface
 * says `read` resolves with at least one byte, and any error but a `canceled` one disconnects).
 * Only ports that expose the Unix binding's `fd` and `poller` are changed; others pass through.
 */

/** The part of serialport's binding (`SerialPort.binding`) used here. */
export interface SerialBinding {
  list(): Promise<unknown[]>;
  open(options: never): Promise<unknown>;
}

/** What the Unix binding's port objects carry (bindings-cpp's LinuxPortBinding, DarwinPortBinding). */
interface UnixPort {
  isOpen: boolean;
  fd: number | null;
  poller: { once(event: 'readable', listener: (err: Error | null | undefined) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>;
}

const readAsync = promisify(read);

/** Errors meaning "nothing to read yet": wait for the poller, then read again. */
const RETRY = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

export function hangupAwareBinding<B extends SerialBinding>(base: B): B {
  const wrapped: SerialBinding = {
    list: () => base.list(),
    open: async (options: never) => {
      const port = await base.open(options);
      if (isUnixPort(port)) port.read = (buffer, offset, length) => readAtLeastOne(port, buffer, offset, length);
      return port;
    },
  };
  return Object.assign(Object.create(base) as B, wrapped);
}

function isUnixPort(port: unknown): port is UnixPort {
  const p = port as Partial<UnixPort> | null;
  return typeof p === 'object' && p !== null && typeof p.fd === 'number' && typeof p.poller?.once === 'function' && typeof p.read === 'function';
}

/** Resolves with at least one byte; rejects `canceled` once the port is closed, or on a hang-up. */
export async function readAtLeastOne(port: UnixPort, buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }> {
  for (;;) {
    const fd = port.fd;
    if (!port.isOpen || fd === null) throw canceled();
    let bytesRead: number;
    try {
      ({ bytesRead } = await readAsync(fd, buffer, offset, length, null));
    } catch (err) {
      if (!RETRY.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      if (!port.isOpen) throw canceled();
      await new Promise<void>((resolve, reject) => port.poller.once('readable', (e) => (e ? reject(e) : resolve())));
      continue;
    }
    if (bytesRead > 0) return { bytesRead, buffer };
    if (!port.isOpen) throw canceled();
    throw Object.assign(new Error('the device hung up (a read returned end of file)'), { disconnect: true });
  }
}

/** The error the binding interface asks for when the port is closed under a read. */
function canceled(): Error {
  return Object.assign(new Error('Port is not open'), { canceled: true });
}
