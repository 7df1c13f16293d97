import { checkI2cBus } from './check-i2c-bus.js';
import type { I2cBus } from './i2c-bus.js';
import { NO_I2C_MODULE } from './i2c-fault.js';
import { errnoError } from './i2c-transfer-error.js';

/** The part of i2c-bus 5's PromisifiedBus this adapter uses (the package ships no types). */
interface PromisifiedBus {
  i2cRead(address: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  i2cWrite(address: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }>;
  readByte(address: number, command: number): Promise<number>;
  writeByte(address: number, command: number, byte: number): Promise<void>;
  readWord(address: number, command: number): Promise<number>;
  writeWord(address: number, command: number, word: number): Promise<void>;
  readI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  close(): Promise<void>;
}

interface I2cBusModule {
  openPromisified(busNumber: number, options?: { forceAccess?: boolean }): Promise<PromisifiedBus>;
}

// A string-typed specifier: the package is optional and untyped, so TypeScript must not resolve it.
const MODULE: string = 'i2c-bus';

/**
 * Opens `/dev/i2c-N` with the `i2c-bus` package: the real {@link I2cBus}. The only file that
 * imports i2c-bus, lazily, so spatia loads on a machine without it.
 *
 * The device file is checked first (i2c-bus itself would only fail at the first transfer), so a
 * disabled bus rejects with `ENOENT`, a missing group with `EACCES`. A missing package or native
 * addon rejects with code ESPATIA_NO_I2C_BUS_MODULE.
 */
export async function openI2cBus(busNumber: number, options: { readonly devDir?: string } = {}): Promise<I2cBus> {
  const check = await checkI2cBus(busNumber, options);
  if (!check.ok) throw errnoError(check.errno ?? 'EIO', check.message);
  const bus = await (await loadModule()).openPromisified(busNumber);
  return adapt(bus);
}

async function loadModule(): Promise<I2cBusModule> {
  try {
    const mod = (await import(MODULE)) as { default?: I2cBusModule } & Partial<I2cBusModule>;
    const api = mod.default ?? (mod as I2cBusModule);
    if (typeof api.openPromisified !== 'function') throw new Error('i2c-bus has no openPromisified (version 5 expected)');
    return api;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw errnoError(
      NO_I2C_MODULE,
      `the i2c-bus package cannot be loaded (${why}): install it on the device with \`npm install i2c-bus\` ` +
        '(it builds a native addon; without internet access to Node headers set npm_config_nodedir=/usr)',
    );
  }
}

function adapt(bus: PromisifiedBus): I2cBus {
  // i2c-bus validates its arguments by throwing synchronously: async methods turn that into a
  // rejection, as the port's contract requires.
  return {
    async i2cWrite(address, data) {
      const buffer = Buffer.from(data);
      const { bytesWritten } = await bus.i2cWrite(address, buffer.length, buffer);
      if (bytesWritten !== buffer.length) throw errnoError('EIO', `short write: ${bytesWritten} of ${buffer.length} bytes`);
    },
    async i2cRead(address, length) {
      const { bytesRead, buffer } = await bus.i2cRead(address, length, Buffer.alloc(length));
      if (bytesRead !== length) throw errnoError('EIO', `short read: ${bytesRead} of ${length} bytes`);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
    },
    async readByte(address, command) {
      return bus.readByte(address, command);
    },
    async writeByte(address, command, byte) {
      await bus.writeByte(address, command, byte);
    },
    async readWord(address, command) {
      return bus.readWord(address, command);
    },
    async writeWord(address, command, word) {
      await bus.writeWord(address, command, word);
    },
    async readI2cBlock(address, command, length) {
      const { bytesRead, buffer } = await bus.readI2cBlock(address, command, length, Buffer.alloc(length));
      if (bytesRead !== length) throw errnoError('EIO', `short read: ${bytesRead} of ${length} bytes`);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
    },
    async close() {
      await bus.close().catch(() => undefined);
    },
  };
}
