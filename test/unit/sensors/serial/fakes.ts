import type { SerialErrno, SerialPortOptions, SerialPortPort } from '../../../../src/sensors/serial/serial-port-port.js';
import { serialOpenError } from '../../../../src/sensors/serial/serial-port-port.js';
import type { CancelTimer, SerialTimers } from '../../../../src/sensors/serial/serial-timers.js';

/** Timers run by hand: `advance(ms)` fires what falls due, in order. */
export class ManualTimers implements SerialTimers {
  nowMs = 0;
  private seq = 0;
  private readonly pending = new Map<number, { atMs: number; cb: () => void }>();

  after(delayMs: number, callback: () => void): CancelTimer {
    const id = this.seq++;
    this.pending.set(id, { atMs: this.nowMs + delayMs, cb: callback });
    return () => this.pending.delete(id);
  }

  /** Delays of the pending timers, from now, sorted. */
  delays(): number[] {
    return [...this.pending.values()].map((t) => t.atMs - this.nowMs).sort((a, b) => a - b);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Moves time on by `ms`, firing due timers (and letting the promises they start settle). */
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      let next: [number, { atMs: number; cb: () => void }] | undefined;
      for (const entry of this.pending) if (entry[1].atMs <= end && (next === undefined || entry[1].atMs < next[1].atMs)) next = entry;
      if (next === undefined) break;
      this.pending.delete(next[0]);
      this.nowMs = next[1].atMs;
      next[1].cb();
      await settle();
    }
    this.nowMs = end;
    await settle();
  }
}

/** Lets pending promise chains run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** A recording fake port; its device's behaviour is scripted by the {@link FakeSerialDevice}. */
export class FakeSerialPort implements SerialPortPort {
  isOpen = false;
  closed = false;
  readonly written: string[] = [];
  private data: ((chunk: Uint8Array) => void) | undefined;
  private error: ((err: Error) => void) | undefined;
  private close_: ((err: Error | undefined) => void) | undefined;

  constructor(
    readonly options: SerialPortOptions,
    private readonly device: FakeSerialDevice,
  ) {}

  onData(l: (chunk: Uint8Array) => void): void {
    this.data = l;
  }
  onError(l: (err: Error) => void): void {
    this.error = l;
  }
  onClose(l: (err: Error | undefined) => void): void {
    this.close_ = l;
  }

  async open(): Promise<void> {
    await this.device.gate;
    const failure = this.device.openFailure;
    if (failure !== undefined) throw serialOpenError(failure.message, failure.errno);
    this.isOpen = true;
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (!this.isOpen) throw new Error('not open');
    this.written.push(typeof data === 'string' ? data : Buffer.from(data).toString());
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.closed = true;
  }

  /** The device sends bytes. */
  send(text: string | Uint8Array): void {
    if (this.isOpen) this.data?.(typeof text === 'string' ? Buffer.from(text) : text);
  }

  /** The device vanishes (the port closes underneath). */
  vanish(err = new Error('Input/output error')): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.close_?.(err);
  }

  fail(err: Error): void {
    this.error?.(err);
  }
}

/** The device behind the fake ports: whether opening works, and every port made for it. */
export class FakeSerialDevice {
  openFailure: { message: string; errno: SerialErrno | undefined } | undefined;
  /** Awaited by open(): replace with an unresolved promise to hold opens pending. */
  gate: Promise<void> = Promise.resolve();
  readonly ports: FakeSerialPort[] = [];

  readonly factory = (options: SerialPortOptions): FakeSerialPort => {
    const port = new FakeSerialPort(options, this);
    this.ports.push(port);
    return port;
  };

  /** The most recently made port. */
  get last(): FakeSerialPort {
    const port = this.ports.at(-1);
    if (port === undefined) throw new Error('no port made yet');
    return port;
  }
}

