import type { GpioLevel } from './gpio-backend.js';

/** A running interrupt watch on one sysfs line. */
export interface InterruptWatch {
  /** Stops watching, closes the value file and unexports the line (onoff has no close without unexport). */
  close(): void;
}

/**
 * Opens an interrupt watch on sysfs line `globalNumber` (already exported and configured).
 * Contract: `onLevel` gets the logical level read right after each interrupt; `onError` a failure
 * reported by the poller. Rejects when interrupts cannot be had here (onoff or its native epoll
 * binding missing, not Linux).
 */
export type InterruptOpener = (
  globalNumber: number,
  activeLow: boolean,
  onLevel: (level: GpioLevel) => void,
  onError: (err: unknown) => void,
) => Promise<InterruptWatch>;

/**
 * The one file that imports onoff, lazily, so spatia loads on a laptop without it.
 *
 * Why onoff only for interrupts: sysfs interrupts are POLLPRI on `gpioN/value`, which Node cannot
 * wait for without a native binding (onoff's epoll). Everything else (export, direction, edge,
 * active_low, value reads, unexport) is plain file I/O that SysfsGpioBackend does itself against
 * its `root`, so the code that runs on a Pi is the code the fake-tree tests exercise. onoff
 * hard-codes /sys/class/gpio, so this is used only when the backend's root is that directory.
 *
 * onoff finds the line exported and reuses it; it rewrites the same edge/active_low settings.
 * Its constructor's access check is synchronous, but the backend has already waited for udev,
 * so it passes on its first try.
 */
export const openOnoffInterrupts: InterruptOpener = async (globalNumber, activeLow, onLevel, onError) => {
  const { Gpio } = await import('onoff');
  const gpio = new Gpio(globalNumber, 'in', 'both', { activeLow, reconfigureDirection: false });
  gpio.watch((err, value) => {
    if (err) onError(err);
    else onLevel(value);
  });
  return {
    close: () => {
      try {
        gpio.unexport();
      } catch {
        // Already unexported or the file vanished: nothing left to release.
      }
    },
  };
};
