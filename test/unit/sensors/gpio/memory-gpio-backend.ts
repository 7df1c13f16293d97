import type { SensorFault } from '../../../../src/sensors/live/source.js';
import type {
  GpioBackend,
  GpioChipInfo,
  GpioInputRequest,
  GpioLevel,
  GpioLine,
  GpioWatchMode,
} from '../../../../src/sensors/gpio/gpio-backend.js';

/** An in-memory line: tests set its level and raise "interrupts" by hand. */
export class MemoryGpioLine implements GpioLine {
  readonly description: string;
  watchMode: GpioWatchMode = 'none';
  readonly watchNote = undefined;
  closed = false;
  reads = 0;
  /** When set, reads reject with it. */
  readError: SensorFault | undefined;
  /** When set, reads wait for this promise before answering (to hold a read in flight). */
  gate: Promise<void> | undefined;
  private onLevel: ((level: GpioLevel) => void) | undefined;
  private onError: ((fault: SensorFault) => void) | undefined;

  constructor(
    readonly request: GpioInputRequest,
    public level: GpioLevel,
  ) {
    this.description = `memory ${request.chip.name}/${request.offset}`;
  }

  async read(): Promise<GpioLevel> {
    this.reads += 1;
    if (this.gate !== undefined) await this.gate;
    if (this.readError !== undefined) throw this.readError;
    return this.level;
  }

  async watch(onLevel: (level: GpioLevel) => void, onError: (fault: SensorFault) => void): Promise<void> {
    this.onLevel = onLevel;
    this.onError = onError;
    this.watchMode = 'interrupt';
    return Promise.resolve();
  }

  /** Sets the level and notifies the watcher, like an interrupt. */
  interrupt(level: GpioLevel): void {
    this.level = level;
    if (!this.closed) this.onLevel?.(level);
  }

  /** The watcher reports a failure. */
  fail(fault: SensorFault): void {
    this.onError?.(fault);
  }

  async close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** A GpioBackend in memory, recording every line it opens. */
export class MemoryGpioBackend implements GpioBackend {
  readonly name = 'memory';
  readonly opened: MemoryGpioLine[] = [];
  /** When set, listChips rejects with it (e.g. SPATIA_GPIO_NO_SYSFS). */
  listError: SensorFault | undefined;
  /** When set, openInput rejects with it (e.g. SPATIA_GPIO_PERMISSION). */
  openError: SensorFault | undefined;
  /** The level new lines start at. */
  initialLevel: GpioLevel = 0;

  constructor(readonly chips: readonly GpioChipInfo[]) {}

  async listChips(): Promise<readonly GpioChipInfo[]> {
    if (this.listError !== undefined) throw this.listError;
    return Promise.resolve(this.chips);
  }

  async openInput(request: GpioInputRequest): Promise<GpioLine> {
    if (this.openError !== undefined) throw this.openError;
    const line = new MemoryGpioLine(request, this.initialLevel);
    this.opened.push(line);
    return Promise.resolve(line);
  }

  /** The last line opened. */
  get last(): MemoryGpioLine {
    const line = this.opened[this.opened.length - 1];
    if (line === undefined) throw new Error('no line opened');
    return line;
  }
}
