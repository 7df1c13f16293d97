import type {
  SerialErrno,
  SerialOpenError,
  SerialPortOptions,
  SerialPortPort,
} from './serial-port-port.js';
import { serialOpenError } from './serial-port-port.js';
import { hangupAwareBinding } from './hangup-aware-binding.js';

/**
 * The part of serialport's `SerialPort` (a Duplex stream) this adapter uses. Tests pass
 * serialport's own `SerialPortMock`, which has the same shape.
 */
export interface SerialPortLike {
  readonly isOpen: boolean;
  on(event: 'data' | 'error' | 'close' | 'end', listener: (...args: never[]) => void): unknown;
  open(callback: (err: Error | null) => void): void;
  write(data: string | Uint8Array, callback: (err: Error | null | undefined) => void): boolean;
  close(callback: (err: Error | null) => void): void;
}

/** A `SerialPort`-like class, constructed with `autoOpen: false`. */
export type SerialPortClass = new (options: { path: string; baudRate: number; autoOpen: false }) => SerialPortLike;

/**
 * Loads the `serialport` package on first use, so spatia loads on machines without it. Ports use
 * its detected binding wrapped by {@link hangupAwareBinding}, so an unplug during a read is seen.
 */
export async function loadSerialPortClass(): Promise<SerialPortClass> {
  const { SerialPort } = await import('serialport');
  const binding = hangupAwareBinding(SerialPort.binding);
  return class HangupAwareSerialPort extends SerialPort {
    constructor(options: { path: string; baudRate: number; autoOpen: false }) {
      // SerialPort takes a `binding` option (its own default is the one wrapped here); its types omit it.
      super(Object.assign({ binding }, options));
    }
  } as unknown as SerialPortClass;
}

/** The real {@link SerialPortPort}: the only place that touches the `serialport` package. */
export function createNodeSerialPort(
  options: SerialPortOptions,
  loadClass: () => Promise<SerialPortClass> = loadSerialPortClass,
): SerialPortPort {
  return new NodeSerialPort(options, loadClass);
}

/** What the OS said, from the text serialport's native binding puts in its errors (no codes). */
export function errnoOf(message: string): SerialErrno | undefined {
  if (/No such file or directory|ENOENT|No such device/i.test(message)) return 'ENOENT';
  if (/Permission denied|EACCES|Operation not permitted/i.test(message)) return 'EACCES';
  if (/Cannot lock port|Device or resource busy|EBUSY/i.test(message)) return 'EBUSY';
  if (/Inappropriate ioctl|ENOTTY/i.test(message)) return 'ENOTTY';
  if (/Input\/output error|EIO\b/i.test(message)) return 'EIO';
  return undefined;
}

class NodeSerialPort implements SerialPortPort {
  private port: SerialPortLike | undefined;
  /** Set by close(): from then on the port's own events are ours, not news. */
  private closing = false;
  private gone = false;
  private dataListener: ((chunk: Uint8Array) => void) | undefined;
  private errorListener: ((err: Error) => void) | undefined;
  private closeListener: ((err: Error | undefined) => void) | undefined;
  /** Writes still waiting: serialport never calls back a write queued on a port that closed. */
  private readonly pendingWrites = new Set<(err: Error) => void>();

  constructor(
    private readonly options: SerialPortOptions,
    private readonly loadClass: () => Promise<SerialPortClass>,
  ) {}

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListener = listener;
  }

  onError(listener: (err: Error) => void): void {
    this.errorListener = listener;
  }

  onClose(listener: (err: Error | undefined) => void): void {
    this.closeListener = listener;
  }

  async open(): Promise<void> {
    if (this.port !== undefined) throw serialOpenError('a serial port object is opened at most once', undefined);
    let Port: SerialPortClass;
    try {
      Port = await this.loadClass();
    } catch (err) {
      throw serialOpenError(`the serialport package is not available (${messageOf(err)}): install it with npm install serialport`, 'UNAVAILABLE');
    }
    const { path, baudRate } = this.options;
    let port: SerialPortLike;
    try {
      port = new Port({ path, baudRate, autoOpen: false });
    } catch (err) {
      throw serialOpenError(messageOf(err), errnoOf(messageOf(err)));
    }
    this.port = port;
    port.on('data', (chunk: Buffer) => this.dataListener?.(chunk));
    port.on('error', (err: Error) => this.vanished(err, this.errorListener));
    port.on('close', (err: Error | null | undefined) => this.vanished(err ?? undefined, this.closeListener));
    // A read of 0 bytes ends the stream and serialport stops reading: the device is as good as gone.
    port.on('end', () => this.vanished(new Error('end of stream'), this.closeListener));
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err !== null) reject(toOpenError(err));
        else if (this.closing) {
          port.close(() => reject(serialOpenError('closed while opening', undefined)));
        } else resolve();
      });
    });
  }

  write(data: string | Uint8Array): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen || this.closing || this.gone) {
      return Promise.reject(new Error(`serial port ${this.options.path} is not open`));
    }
    return new Promise<void>((resolve, reject) => {
      this.pendingWrites.add(reject);
      port.write(data, (err) => {
        this.pendingWrites.delete(reject);
        if (err !== null && err !== undefined) reject(err);
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.failWrites('the serial port was closed');
    const port = this.port;
    if (port === undefined || !port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private vanished<E>(err: E, listener: ((err: E) => void) | undefined): void {
    if (this.closing || this.gone) return;
    this.gone = true;
    this.failWrites(`serial port ${this.options.path} went away`);
    listener?.(err);
  }

  private failWrites(message: string): void {
    const rejects = [...this.pendingWrites];
    this.pendingWrites.clear();
    for (const reject of rejects) reject(new Error(message));
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function toOpenError(err: Error): SerialOpenError {
  return serialOpenError(err.message.replace(/^Error:?\s*/, ''), errnoOf(err.message));
}
