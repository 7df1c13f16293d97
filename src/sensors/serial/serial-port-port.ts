/**
 * The serial port as spatia's serial sources see it: one device path opened at one baud rate,
 * delivering raw byte chunks. The real adapter (node-serial-port.ts) wraps the `serialport`
 * package; unit tests plug in a recording fake.
 *
 * Contract:
 * - Register the listeners (`onData`, `onError`, `onClose`) before `open()`; nothing is delivered
 *   before `open()` resolves.
 * - `open()` resolves once the device is open, or rejects with a {@link SerialOpenError}
 *   (`errno` says why when it is known). A port object is opened at most once: to reopen, make a
 *   new one.
 * - `onData` receives chunks as the OS hands them over: a line may arrive in several chunks, and
 *   one chunk may hold several lines.
 * - `onClose(err)` means the port closed underneath us: the device vanished (a USB adapter
 *   unplugged, a pseudo-terminal whose peer died). `onError` is any other runtime failure. After
 *   either, the port is unusable. Neither is called for a `close()` we asked for.
 * - `write()` rejects when the port is not open or the write fails (a vanished device often
 *   only shows itself through a failed write).
 * - `close()` releases the device; it never rejects and may be called more than once.
 * - Callbacks run on the main thread's event loop; none of the methods blocks it.
 */
export interface SerialPortPort {
  onData(listener: (chunk: Uint8Array) => void): void;
  onError(listener: (err: Error) => void): void;
  onClose(listener: (err: Error | undefined) => void): void;
  open(): Promise<void>;
  write(data: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** What a serial port is opened with. */
export interface SerialPortOptions {
  /** Device path as configured, e.g. `/dev/serial/by-id/usb-FTDI_...-if00-port0` or `/dev/ttyUSB0`. */
  readonly path: string;
  readonly baudRate: number;
}

/** Makes a fresh, unopened port; never throws (failures surface from `open()`). */
export type SerialPortFactory = (options: SerialPortOptions) => SerialPortPort;

/** Why a device could not be opened, as far as the OS said. */
export type SerialErrno = 'ENOENT' | 'EACCES' | 'EBUSY' | 'EIO' | 'ENOTTY' | 'UNAVAILABLE';

/** An open failure; `errno` is undefined when the cause was not recognised. */
export interface SerialOpenError extends Error {
  readonly errno?: SerialErrno;
}

/** Builds a {@link SerialOpenError}. */
export function serialOpenError(message: string, errno: SerialErrno | undefined): SerialOpenError {
  const err = new Error(message) as Error & { errno?: SerialErrno };
  if (errno !== undefined) err.errno = errno;
  return err;
}
