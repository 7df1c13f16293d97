/**
 * A failed bus operation, as the transaction layer reports it: the errno `code` of the port's
 * error (`EREMOTEIO`, `EIO`, `ETIMEDOUT`, ...; undefined when the error had none) and the step
 * that failed (`readByte(0xD0)`), so the resulting fault can say both.
 */
export class I2cTransferError extends Error {
  constructor(
    readonly code: string | undefined,
    readonly op: string,
    readonly detail: string,
  ) {
    super(`${op}: ${detail}`);
    this.name = 'I2cTransferError';
  }

  /** Wraps whatever an operation rejected with; keeps an I2cTransferError as it is. */
  static from(op: string, err: unknown): I2cTransferError {
    if (err instanceof I2cTransferError) return err;
    return new I2cTransferError(errnoOf(err), op, err instanceof Error ? err.message : String(err));
  }
}

/** The `code` of a Node error, if it has a string one. */
export function errnoOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A Node-style error with an errno code, as the port's operations reject with. */
export function errnoError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
