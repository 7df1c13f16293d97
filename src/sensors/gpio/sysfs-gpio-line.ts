import { join } from 'node:path';
import { SensorFault } from '../live/source.js';
import type { GpioLevel, GpioLine, GpioOutputLine, GpioWatchMode } from './gpio-backend.js';
import type { GpioFs } from './gpio-fs.js';
import { asSensorFault, ioFault } from './gpio-faults.js';
import type { CancelTimer, GpioTimers } from './gpio-timers.js';
import type { InterruptOpener, InterruptWatch } from './onoff-interrupts.js';

/** What a SysfsGpioLine needs; built by SysfsGpioBackend once the line is exported and configured. */
export interface SysfsGpioLineParts {
  readonly fs: GpioFs;
  readonly timers: GpioTimers;
  readonly root: string;
  readonly globalNumber: number;
  readonly activeLow: boolean;
  readonly pollEveryMs: number;
  /** Interrupts for `watch()`, or undefined to poll (with `pollNote` saying why). */
  readonly interrupts: InterruptOpener | undefined;
  readonly pollNote: string;
}

/**
 * One exported sysfs line, input or output. Reads go to `gpioN/value` (the kernel applies
 * active_low), and so do an output's writes. `watch()`
 * uses interrupts when it has them, else polls the value file: POLLPRI on `value` is a feature of
 * the kernel's sysfs files, which a fake tree of ordinary files (or a machine without onoff's
 * native epoll binding) cannot give.
 */
export class SysfsGpioLine implements GpioLine, GpioOutputLine {
  readonly description: string;
  watchMode: GpioWatchMode = 'none';
  watchNote: string | undefined;
  private readonly valuePath: string;
  private closed = false;
  private cancelPoll: CancelTimer | undefined;
  private interruptWatch: InterruptWatch | undefined;

  constructor(private readonly parts: SysfsGpioLineParts) {
    this.description = `sysfs gpio${parts.globalNumber}`;
    this.valuePath = join(parts.root, `gpio${parts.globalNumber}`, 'value');
  }

  async read(): Promise<GpioLevel> {
    let text: string;
    try {
      text = await this.parts.fs.readFile(this.valuePath);
    } catch (err) {
      throw ioFault('reading the GPIO value', this.valuePath, err);
    }
    const level = text.trim();
    if (level === '0') return 0;
    if (level === '1') return 1;
    throw new SensorFault('garbage', 'SPATIA_SENSOR_GARBAGE', `${this.valuePath} read ${JSON.stringify(level)}, expected 0 or 1`);
  }

  /** Drives an output to a logical level (the kernel applies active_low to `value` writes). */
  async write(level: GpioLevel): Promise<void> {
    try {
      await this.parts.fs.writeFile(this.valuePath, level === 1 ? '1' : '0');
    } catch (err) {
      throw ioFault('writing the GPIO value', this.valuePath, err);
    }
  }

  async watch(onLevel: (level: GpioLevel) => void, onError: (fault: SensorFault) => void): Promise<void> {
    const { interrupts } = this.parts;
    let note = this.parts.pollNote;
    if (interrupts !== undefined) {
      try {
        const report = (err: unknown): void => onError(asSensorFault(`watching ${this.description}`, err));
        const watch = await interrupts(this.parts.globalNumber, this.parts.activeLow, onLevel, report);
        if (this.closed) watch.close();
        else this.interruptWatch = watch;
        this.watchMode = 'interrupt';
        return;
      } catch (err) {
        note = `interrupts unavailable (${err instanceof Error ? err.message : String(err)})`;
      }
    }
    this.watchMode = 'poll';
    this.watchNote = `${note}: polling ${this.valuePath} every ${this.parts.pollEveryMs} ms`;
    this.schedulePoll(onLevel, onError, { last: undefined, faultCode: undefined });
  }

  private schedulePoll(
    onLevel: (level: GpioLevel) => void,
    onError: (fault: SensorFault) => void,
    seen: { last: GpioLevel | undefined; faultCode: string | undefined },
  ): void {
    if (this.closed) return;
    this.cancelPoll = this.parts.timers.after(this.parts.pollEveryMs, () => {
      void this.read().then(
        (level) => {
          if (this.closed) return;
          seen.faultCode = undefined;
          if (level !== seen.last) {
            seen.last = level;
            onLevel(level);
          }
          this.schedulePoll(onLevel, onError, seen);
        },
        (err: unknown) => {
          if (this.closed) return;
          const fault = asSensorFault(`polling ${this.description}`, err);
          // One report per distinct failure, not one per poll.
          if (fault.code !== seen.faultCode) onError(fault);
          seen.faultCode = fault.code;
          this.schedulePoll(onLevel, onError, seen);
        },
      );
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelPoll?.();
    this.interruptWatch?.close();
    try {
      await this.parts.fs.writeFile(join(this.parts.root, 'unexport'), String(this.parts.globalNumber));
    } catch {
      // EINVAL: already unexported (onoff's close does it too). Nothing else is worth failing close for.
    }
  }
}
