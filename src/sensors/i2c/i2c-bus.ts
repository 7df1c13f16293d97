/**
 * The I2C port: one Linux I2C bus (`/dev/i2c-N`), as the drivers need it. The real adapter is
 * i2c-bus-adapter.ts (the only file that imports `i2c-bus`); tests use fake/fake-i2c-bus.ts.
 *
 * Contract:
 * - Every operation is async and addresses a 7-bit device address (0x03..0x77). Each one is a
 *   single bus transaction (one ioctl): a START, the transfer, and a STOP, with a repeated START
 *   between the command write and the read of the SMBus/"I2C block" reads.
 * - Multi-byte values are returned exactly as they crossed the wire, except SMBus words
 *   (`readWord`/`writeWord`), which are little-endian: the first byte on the wire is the low byte.
 *   Most sensors send the most significant byte first, so their drivers swap (see {@link swap16}).
 * - Failures reject with a Node error whose `code` is the errno: `EREMOTEIO` or `ENXIO` (the device
 *   did not acknowledge), `EIO`, `ETIMEDOUT` (a stuck bus or clock stretching past the adapter's
 *   limit), `EAGAIN` (arbitration lost), `ENOENT`/`EACCES`/`ENODEV`/`EBUSY` (the bus or address
 *   cannot be used). A read that returns fewer bytes than asked rejects with `EIO`.
 * - Operations are not serialised by the port: callers that need a multi-step transaction hold
 *   the bus's {@link BusLock}.
 * - `close()` releases the file descriptors; it never rejects.
 */
export interface I2cBus {
  /** Plain write of every byte of `data` in one transfer. */
  i2cWrite(address: number, data: Uint8Array): Promise<void>;
  /** Plain read of exactly `length` bytes in one transfer. */
  i2cRead(address: number, length: number): Promise<Uint8Array>;
  /** SMBus "read byte data": writes `command` (a register), reads one byte. */
  readByte(address: number, command: number): Promise<number>;
  /** SMBus "write byte data": writes `command` then `byte`. */
  writeByte(address: number, command: number, byte: number): Promise<void>;
  /** SMBus "read word data": two bytes, little-endian (first byte on the wire is bits 0..7). */
  readWord(address: number, command: number): Promise<number>;
  /** SMBus "write word data": `word` sent little-endian (bits 0..7 first). */
  writeWord(address: number, command: number, word: number): Promise<void>;
  /** SMBus "I2C block read": writes `command`, reads `length` (1..32) bytes in wire order. */
  readI2cBlock(address: number, command: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Opens bus N. Rejects with a Node error (`ENOENT`, `EACCES`, ...) when the bus is unusable. */
export type I2cBusOpener = (busNumber: number) => Promise<I2cBus>;

/** Swaps the two bytes of a 16-bit word (SMBus little-endian <-> big-endian registers). */
export function swap16(word: number): number {
  return ((word & 0xff) << 8) | ((word >> 8) & 0xff);
}

/** `0x76` as written in messages. */
export function hex(n: number, digits = 2): string {
  return `0x${n.toString(16).toUpperCase().padStart(digits, '0')}`;
}
