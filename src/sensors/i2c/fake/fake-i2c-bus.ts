import type { I2cBus } from '../i2c-bus.js';
import { errnoError } from '../i2c-transfer-error.js';
import type { FakeI2cDevice } from './fake-i2c-device.js';

export type FakeI2cOp = 'i2cWrite' | 'i2cRead' | 'readByte' | 'writeByte' | 'readWord' | 'writeWord' | 'readI2cBlock';

/** One transfer as it happened on the fake bus. */
export interface FakeI2cTransfer {
  /** 0-based index of the transfer on this bus. */
  readonly seq: number;
  readonly atMs: number;
  readonly op: FakeI2cOp;
  readonly address: number;
  /** The register/command byte of SMBus operations. */
  readonly command: number | undefined;
  /** Bytes the host sent (after the command byte) and bytes the device returned. */
  readonly wrote: readonly number[];
  readonly got: readonly number[];
  /** The errno the transfer failed with, or `stuck` while it hangs. */
  readonly error: string | undefined;
}

/**
 * An injected fault: transfers matching `address`/`op` (any when absent) are counted; after
 * `skip` of them pass, the next `times` (default 1) fail with `effect`: an errno (`EREMOTEIO`,
 * `EIO`, `ETIMEDOUT`, `ENODEV`, ...) or `stuck`, a transfer that never completes until
 * {@link FakeI2cBus.unstick}.
 */
export interface FakeI2cFault {
  readonly address?: number;
  readonly op?: FakeI2cOp;
  readonly skip?: number;
  readonly times?: number;
  readonly effect: string;
}

interface ActiveFault {
  readonly rule: FakeI2cFault;
  skip: number;
  left: number;
}

/**
 * A recording {@link I2cBus} double with device models per address ({@link FakeI2cDevice}) and
 * fault injection. An address with no model does not acknowledge (EREMOTEIO), as on a real bus.
 * Every transfer is appended to `log`. Operations settle asynchronously (in a microtask).
 */
export class FakeI2cBus implements I2cBus {
  readonly log: FakeI2cTransfer[] = [];
  closed = false;
  closeCount = 0;
  private readonly devices = new Map<number, FakeI2cDevice>();
  private readonly faults: ActiveFault[] = [];
  private readonly stuck: Array<() => void> = [];

  /** `nowMs` is the clock the device models see (default: always 0). */
  constructor(private readonly nowMs: () => number = () => 0) {}

  attach(address: number, device: FakeI2cDevice): this {
    this.devices.set(address, device);
    return this;
  }

  detach(address: number): void {
    this.devices.delete(address);
  }

  /** The attached device models, by address. */
  attached(): ReadonlyMap<number, FakeI2cDevice> {
    return this.devices;
  }

  inject(fault: FakeI2cFault): void {
    this.faults.push({ rule: fault, skip: fault.skip ?? 0, left: fault.times ?? 1 });
  }

  /** Transfers that are hanging (`stuck`). */
  get hanging(): number {
    return this.stuck.length;
  }

  /** Ends every hanging transfer with ETIMEDOUT, as the adapter's own timeout eventually would. */
  unstick(): void {
    for (const fail of this.stuck.splice(0)) fail();
  }

  i2cWrite(address: number, data: Uint8Array): Promise<void> {
    return this.transfer('i2cWrite', address, undefined, [...data], (d, now) => {
      d.write(data, now);
      return { got: [], value: undefined };
    });
  }

  i2cRead(address: number, length: number): Promise<Uint8Array> {
    return this.transfer('i2cRead', address, undefined, [], (d, now) => {
      const got = d.read(length, now);
      return { got: [...got], value: Uint8Array.from(got) };
    });
  }

  readByte(address: number, command: number): Promise<number> {
    return this.transfer('readByte', address, command, [], (d, now) => {
      d.write(Uint8Array.of(command), now);
      const b = d.read(1, now)[0] ?? 0xff;
      return { got: [b], value: b };
    });
  }

  writeByte(address: number, command: number, byte: number): Promise<void> {
    return this.transfer('writeByte', address, command, [byte], (d, now) => {
      d.write(Uint8Array.of(command, byte), now);
      return { got: [], value: undefined };
    });
  }

  readWord(address: number, command: number): Promise<number> {
    return this.transfer('readWord', address, command, [], (d, now) => {
      d.write(Uint8Array.of(command), now);
      const [lo = 0xff, hi = 0xff] = d.read(2, now);
      // SMBus words are little-endian: the first byte on the wire is the low byte.
      return { got: [lo, hi], value: lo | (hi << 8) };
    });
  }

  writeWord(address: number, command: number, word: number): Promise<void> {
    const bytes = [word & 0xff, (word >> 8) & 0xff];
    return this.transfer('writeWord', address, command, bytes, (d, now) => {
      d.write(Uint8Array.of(command, ...bytes), now);
      return { got: [], value: undefined };
    });
  }

  readI2cBlock(address: number, command: number, length: number): Promise<Uint8Array> {
    return this.transfer('readI2cBlock', address, command, [], (d, now) => {
      if (length < 1 || length > 32) throw errnoError('EINVAL', `I2C block reads take 1..32 bytes, not ${length}`);
      d.write(Uint8Array.of(command), now);
      const got = d.read(length, now);
      return { got: [...got], value: Uint8Array.from(got) };
    });
  }

  close(): Promise<void> {
    this.closed = true;
    this.closeCount += 1;
    return Promise.resolve();
  }

  private async transfer<T>(
    op: FakeI2cOp,
    address: number,
    command: number | undefined,
    wrote: number[],
    run: (device: FakeI2cDevice, nowMs: number) => { got: number[]; value: T },
  ): Promise<T> {
    await Promise.resolve();
    const seq = this.log.length;
    const atMs = this.nowMs();
    const record = (got: number[], error: string | undefined): void => {
      this.log[seq] = { seq, atMs, op, address, command, wrote, got, error };
    };
    record([], undefined);
    if (this.closed) return this.fail(record, errnoError('EBADF', 'bad file descriptor: the bus is closed'));
    const effect = this.faultFor(op, address);
    if (effect === 'stuck') {
      record([], 'stuck');
      return new Promise<T>((_resolve, reject) => {
        this.stuck.push(() => {
          record([], 'ETIMEDOUT');
          reject(errnoError('ETIMEDOUT', 'connection timed out'));
        });
      });
    }
    if (effect !== undefined) return this.fail(record, errnoError(effect, `injected ${effect}`));
    const device = this.devices.get(address);
    if (device === undefined) return this.fail(record, errnoError('EREMOTEIO', 'remote I/O error: no device acknowledged'));
    try {
      const { got, value } = run(device, atMs);
      record(got, undefined);
      return value;
    } catch (err) {
      return this.fail(record, err);
    }
  }

  private fail(record: (got: number[], error: string | undefined) => void, err: unknown): Promise<never> {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'EIO';
    record([], code);
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }

  private faultFor(op: FakeI2cOp, address: number): string | undefined {
    for (const f of this.faults) {
      if (f.left <= 0) continue;
      if (f.rule.address !== undefined && f.rule.address !== address) continue;
      if (f.rule.op !== undefined && f.rule.op !== op) continue;
      if (f.skip > 0) {
        f.skip -= 1;
        continue;
      }
      f.left -= 1;
      return f.rule.effect;
    }
    return undefined;
  }
}
