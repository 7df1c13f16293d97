import { join } from 'node:path';
import { SensorFault } from '../live/source.js';
import type { GpioBackend, GpioChipInfo, GpioInputRequest, GpioLine, GpioOutputBackend, GpioOutputRequest } from './gpio-backend.js';
import { errnoOf, type GpioFs, nodeGpioFs } from './gpio-fs.js';
import { describeChip, ioFault, permissionFault } from './gpio-faults.js';
import { type GpioTimers, realGpioTimers, sleepMs } from './gpio-timers.js';
import { type InterruptOpener, openOnoffInterrupts } from './onoff-interrupts.js';
import { listSysfsGpioChips } from './sysfs-gpio-chips.js';
import { SysfsGpioLine } from './sysfs-gpio-line.js';

/** Where the kernel puts sysfs GPIO. */
export const SYSFS_GPIO_ROOT = '/sys/class/gpio';

/** Options of {@link SysfsGpioBackend}; every one has a real default. */
export interface SysfsGpioOptions {
  /** The sysfs GPIO directory. Default /sys/class/gpio; tests point it at a fake tree. */
  readonly root?: string;
  readonly fs?: GpioFs;
  readonly timers?: GpioTimers;
  /**
   * How long EACCES/EPERM on a freshly exported line's files is retried. After `export`, udev
   * gives the gpio group access to `gpioN/*` asynchronously, so the first writes can be denied
   * for a moment even when permissions are right. Default 2000 ms.
   */
  readonly permissionWaitMs?: number;
  /** Pause between those retries. Default 20 ms. */
  readonly permissionRetryMs?: number;
  /** Poll period of `watch()` when interrupts are unavailable. Default 10 ms. */
  readonly pollEveryMs?: number;
  /**
   * Interrupt source for `watch()`. Default: onoff when `root` is /sys/class/gpio, else none
   * (polling), since onoff only knows that path. `null` forces polling.
   */
  readonly interrupts?: InterruptOpener | null;
}

/**
 * The GPIO port over sysfs: chips from `root/gpiochip*`, a line is `root/gpio{base + offset}`
 * after writing that number to `root/export`. On kernel >= 6.2 bases start at 512 (Pi 4: 512,
 * Pi 5: 571), so the number written is never the bare BCM number there.
 */
export class SysfsGpioBackend implements GpioBackend, GpioOutputBackend {
  readonly name = 'sysfs';
  readonly root: string;
  private readonly fs: GpioFs;
  private readonly timers: GpioTimers;
  private readonly permissionWaitMs: number;
  private readonly permissionRetryMs: number;
  private readonly pollEveryMs: number;
  private readonly interrupts: InterruptOpener | undefined;

  constructor(options: SysfsGpioOptions = {}) {
    this.root = options.root ?? SYSFS_GPIO_ROOT;
    this.fs = options.fs ?? nodeGpioFs();
    this.timers = options.timers ?? realGpioTimers();
    this.permissionWaitMs = options.permissionWaitMs ?? 2000;
    this.permissionRetryMs = options.permissionRetryMs ?? 20;
    this.pollEveryMs = options.pollEveryMs ?? 10;
    const byDefault = this.root === SYSFS_GPIO_ROOT ? openOnoffInterrupts : undefined;
    this.interrupts = options.interrupts === null ? undefined : (options.interrupts ?? byDefault);
  }

  listChips(): Promise<GpioChipInfo[]> {
    return listSysfsGpioChips(this.root, this.fs);
  }

  async openInput(request: GpioInputRequest): Promise<GpioLine> {
    const n = request.chip.base + request.offset;
    const dir = join(this.root, `gpio${n}`);
    const line = `line ${request.offset} of ${describeChip(request.chip)}`;
    await this.exportAndSetUp(n, dir, line, async (deadlineMs) => {
      // Direction first: the kernel refuses an edge on an output.
      await this.settled(join(dir, 'direction'), (p) => this.fs.writeFile(p, 'in'), deadlineMs);
      await this.settled(join(dir, 'active_low'), (p) => this.fs.writeFile(p, request.activeLow ? '1' : '0'), deadlineMs);
      await this.writeEdge(join(dir, 'edge'), request.interrupts ? 'both' : 'none', deadlineMs, line);
      await this.settled(join(dir, 'value'), (p) => this.fs.readFile(p), deadlineMs);
    });
    const pollNote =
      this.root === SYSFS_GPIO_ROOT
        ? 'interrupts disabled by the backend options'
        : `interrupts (epoll POLLPRI) exist only on the kernel's ${SYSFS_GPIO_ROOT}, not on ${this.root}`;
    return this.lineOf(n, request.activeLow, this.interrupts, pollNote);
  }

  /**
   * Exports the line and makes it an output at `initial` in one step: `high`/`low` written to
   * `direction` set the level together with the direction, so the line never passes through the
   * other level. The kernel takes those words as raw (wire) levels, hence active_low is applied
   * here. An edge left armed on the line (a previous run read it as an input) is disarmed first,
   * since the kernel refuses (EIO) to turn a line with an interrupt into an output.
   */
  async openOutput(request: GpioOutputRequest): Promise<SysfsGpioLine> {
    const n = request.chip.base + request.offset;
    const dir = join(this.root, `gpio${n}`);
    const line = `line ${request.offset} of ${describeChip(request.chip)}`;
    await this.exportAndSetUp(n, dir, line, async (deadlineMs) => {
      await this.writeEdge(join(dir, 'edge'), 'none', deadlineMs, line);
      await this.settled(join(dir, 'active_low'), (p) => this.fs.writeFile(p, request.activeLow ? '1' : '0'), deadlineMs);
      const wire = (request.initial === 1) !== request.activeLow ? 'high' : 'low';
      await this.settled(join(dir, 'direction'), (p) => this.fs.writeFile(p, wire), deadlineMs);
    });
    return this.lineOf(n, request.activeLow, undefined, 'an output line is not watched for interrupts');
  }

  /** Exports line `n` and sets it up; a line this call exported is unexported again if setup fails. */
  private async exportAndSetUp(n: number, dir: string, line: string, setUp: (deadlineMs: number) => Promise<void>): Promise<void> {
    const exportedByUs = await this.export(n, dir, line);
    try {
      await setUp(this.timers.nowMs() + this.permissionWaitMs);
    } catch (err) {
      if (exportedByUs) await this.fs.writeFile(join(this.root, 'unexport'), String(n)).catch(() => undefined);
      throw err;
    }
  }

  private lineOf(n: number, activeLow: boolean, interrupts: InterruptOpener | undefined, pollNote: string): SysfsGpioLine {
    return new SysfsGpioLine({ fs: this.fs, timers: this.timers, root: this.root, globalNumber: n, activeLow, pollEveryMs: this.pollEveryMs, interrupts, pollNote });
  }

  /** Exports gpio`n` unless it already is (a previous run that died, another tool); true when this call exported it. */
  private async export(n: number, dir: string, line: string): Promise<boolean> {
    try {
      await this.fs.readdir(dir);
      return false;
    } catch {
      // Not exported yet (ENOENT): export it below.
    }
    const exportPath = join(this.root, 'export');
    try {
      await this.fs.writeFile(exportPath, String(n));
      return true;
    } catch (err) {
      const code = errnoOf(err);
      if (code === 'EACCES' || code === 'EPERM') throw permissionFault(exportPath, err);
      if (code === 'EBUSY') {
        throw new SensorFault(
          'error',
          'SPATIA_SENSOR_ERROR',
          `GPIO ${n} (${line}) is busy: a kernel driver (a device-tree overlay such as w1-gpio, gpio-key, ` +
            'or the pin in use for I2C/SPI/UART/PWM) or a program holding /dev/gpiochip (gpiomon, gpioset) has it. ' +
            'Free the line or wire the sensor to another pin.',
        );
      }
      if (code === 'EINVAL') {
        throw new SensorFault('error', 'SPATIA_GPIO_CHIP', `the kernel refused GPIO ${n} (${line}) at ${exportPath} (EINVAL)`);
      }
      throw ioFault(`exporting GPIO ${n}`, exportPath, err);
    }
  }

  private async writeEdge(path: string, edge: 'both' | 'none', deadlineMs: number, line: string): Promise<void> {
    try {
      await this.settled(path, (p) => this.fs.writeFile(p, edge), deadlineMs);
    } catch (err) {
      // The kernel hides `edge` (ENOENT) on lines that cannot raise interrupts: fine for polling.
      const hidden = err instanceof SensorFault && err.code === 'SPATIA_SENSOR_DISCONNECTED';
      if (hidden && edge === 'none') return;
      if (hidden) {
        throw new SensorFault('error', 'SPATIA_SENSOR_ERROR', `${line} cannot raise interrupts (no ${path}): use edge: none to poll it`);
      }
      throw err;
    }
  }

  /** Runs `op(path)`, retrying EACCES/EPERM until `deadlineMs` (the udev race), then mapping the error. */
  private async settled<T>(path: string, op: (path: string) => Promise<T>, deadlineMs: number): Promise<T> {
    for (;;) {
      try {
        return await op(path);
      } catch (err) {
        const code = errnoOf(err);
        const denied = code === 'EACCES' || code === 'EPERM';
        if (!denied || this.timers.nowMs() >= deadlineMs) throw ioFault('configuring the GPIO line', path, err);
        await sleepMs(this.timers, this.permissionRetryMs);
      }
    }
  }
}
