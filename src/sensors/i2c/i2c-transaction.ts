import { hex, type I2cBus } from './i2c-bus.js';
import type { I2cTimers } from './i2c-timers.js';
import { I2cTransferError } from './i2c-transfer-error.js';

/**
 * The bus as a driver sees it inside one locked transaction: the port's operations bound to the
 * device's address, plus `sleep` for conversion times.
 *
 * Once the transaction is abandoned (it timed out, or its device was closed) every further step
 * and every pending `sleep` rejects with the reason, so a late driver can never slip a step into
 * the next holder's transaction. Failed steps reject with an {@link I2cTransferError} naming the
 * step.
 */
export interface I2cTransaction {
  readonly address: number;
  write(data: readonly number[]): Promise<void>;
  read(length: number): Promise<Uint8Array>;
  readByte(register: number): Promise<number>;
  writeByte(register: number, byte: number): Promise<void>;
  /** SMBus word: little-endian, as the port returns it. */
  readWord(register: number): Promise<number>;
  writeWord(register: number, word: number): Promise<void>;
  readBlock(register: number, length: number): Promise<Uint8Array>;
  sleep(ms: number): Promise<void>;
}

/** The {@link I2cTransaction} over `bus` for `address`, abandoned when `abandoned` aborts. */
export function createTransaction(bus: I2cBus, address: number, abandoned: AbortSignal, timers: I2cTimers): I2cTransaction {
  async function step<T>(op: string, run: () => Promise<T>): Promise<T> {
    abandoned.throwIfAborted();
    try {
      return await run();
    } catch (err) {
      throw I2cTransferError.from(op, err);
    }
  }
  const list = (bytes: readonly number[]): string => bytes.map((b) => hex(b)).join(', ');
  return {
    address,
    write: (data) => step(`write(${list(data)})`, () => bus.i2cWrite(address, Uint8Array.from(data))),
    read: (length) => step(`read(${length})`, () => bus.i2cRead(address, length)),
    readByte: (register) => step(`readByte(${hex(register)})`, () => bus.readByte(address, register)),
    writeByte: (register, byte) => step(`writeByte(${hex(register)}, ${hex(byte)})`, () => bus.writeByte(address, register, byte)),
    readWord: (register) => step(`readWord(${hex(register)})`, () => bus.readWord(address, register)),
    writeWord: (register, word) => step(`writeWord(${hex(register)}, ${hex(word, 4)})`, () => bus.writeWord(address, register, word)),
    readBlock: (register, length) => step(`readBlock(${hex(register)}, ${length})`, () => bus.readI2cBlock(address, register, length)),
    sleep: (ms) => sleep(ms, abandoned, timers),
  };
}

function sleep(ms: number, abandoned: AbortSignal, timers: I2cTimers): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (abandoned.aborted) {
      reject(abandoned.reason as Error);
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(abandoned.reason as Error);
    };
    const cancel = timers.schedule(() => {
      abandoned.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    abandoned.addEventListener('abort', onAbort, { once: true });
  });
}
