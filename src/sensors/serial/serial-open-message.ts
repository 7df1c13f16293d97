import type { SerialOpenError } from './serial-port-port.js';

/**
 * The message for a failed open, naming the fix: `shown` is the path as configured, with where a
 * /dev/serial/by-id link points when it resolves (`... (-> /dev/ttyUSB0)`).
 */
export function serialOpenMessage(err: unknown, shown: string): string {
  const errno = (err as SerialOpenError | undefined)?.errno;
  const detail = err instanceof Error ? err.message : String(err);
  switch (errno) {
    case 'ENOENT':
      return `serial device ${shown} not found: check the cable and the path (ls -l /dev/serial/by-id/)`;
    case 'EACCES':
      return `no permission to open ${shown}: add the user to the dialout group (sudo usermod -aG dialout $USER, then log in again)`;
    case 'EBUSY':
      return `serial device ${shown} is busy: another program has it open (a login console on the UART, ModemManager, another spatia)`;
    case 'ENOTTY':
      return `${shown} is not a serial device (${detail})`;
    case 'UNAVAILABLE':
      return detail;
    default:
      return `cannot open serial device ${shown}: ${detail}`;
  }
}
