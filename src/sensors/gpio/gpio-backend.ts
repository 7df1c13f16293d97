import type { SensorFault } from '../live/source.js';

/** A logical line level: 1 is active (high, or low when the line is opened active-low). */
export type GpioLevel = 0 | 1;

/** Which level changes a GPIO input reports (`edge:`); `none` is read on demand. */
export type GpioEdge = 'none' | 'rising' | 'falling' | 'both';

/** One GPIO controller as the kernel lists it. */
export interface GpioChipInfo {
  /**
   * The kernel's name for the chip in this backend: `gpiochip571` under sysfs (named after its
   * base), `gpiochip0` for the character device (named by probe order).
   */
  readonly name: string;
  /** The driver's label, stable across kernels: `pinctrl-rp1`, `pinctrl-bcm2711`, `tegra234-gpio`. */
  readonly label: string;
  /**
   * The chip's first global line number (sysfs numbering). Kernels before 6.2 gave the header chip
   * of a Pi base 0; from 6.2 bases are allocated from 512 (Pi 4: 512, Pi 5: 571). Backends that
   * address lines by (chip, offset) report it for information only.
   */
  readonly base: number;
  /** How many lines the chip has; valid offsets are 0 .. ngpio - 1. */
  readonly ngpio: number;
}

/** What to open: one line of a resolved chip, as an input. */
export interface GpioInputRequest {
  readonly chip: GpioChipInfo;
  /** Line offset on the chip; for a Pi's header chip this is the BCM number. */
  readonly offset: number;
  /** Invert the line in the backend, so that `read()` and `watch()` report logical levels. */
  readonly activeLow: boolean;
  /**
   * True when the caller will `watch()`: the backend arms interrupts on both edges (debouncing
   * and edge filtering happen above the port, so they behave the same on every backend).
   */
  readonly interrupts: boolean;
  /** Who holds the line (the sensor id), for backends and tools that show a consumer. */
  readonly consumer: string;
}

/** How an open line learns about level changes. */
export type GpioWatchMode = 'interrupt' | 'poll' | 'none';

/**
 * An open input line. Every method reports failures as `SensorFault`s with a registered code
 * (`SPATIA_GPIO_PERMISSION`, `SPATIA_SENSOR_DISCONNECTED` when the line vanished, ...); none of
 * them throws synchronously. Levels are logical: active-low is already applied.
 */
export interface GpioLine {
  /** For messages: `sysfs gpio588`. */
  readonly description: string;
  /** How changes are detected, once `watch()` resolved; `none` before. */
  readonly watchMode: GpioWatchMode;
  /** Why `watchMode` is `poll` when interrupts were asked for (onoff missing, a fake tree), else undefined. */
  readonly watchNote: string | undefined;
  /** The current level. */
  read(): Promise<GpioLevel>;
  /**
   * Calls `onLevel` after (at least) every change of level with the level read then; it may also
   * call it without a change, and consecutive changes may be merged into one call. `onError`
   * reports a failure of the watching itself (once per distinct failure, not per poll). At most
   * one watch per line.
   */
  watch(onLevel: (level: GpioLevel) => void, onError: (fault: SensorFault) => void): Promise<void>;
  /** Stops watching and releases the line (sysfs: unexports it). Never rejects; idempotent. */
  close(): Promise<void>;
}

/**
 * The GPIO port: a kernel interface to GPIO lines. `SysfsGpioBackend` implements it over
 * /sys/class/gpio; a character-device (/dev/gpiochipN) backend can implement it beside it, since
 * chip resolution, debouncing, active-low semantics and edge filtering live above this port.
 *
 * Contract: methods run on the main thread and never block it for long; they reject only with
 * `SensorFault`s whose message names the fix (`SPATIA_GPIO_NO_SYSFS`, `SPATIA_GPIO_PERMISSION`,
 * `SPATIA_GPIO_CHIP`, `SPATIA_SENSOR_ERROR`).
 */
export interface GpioBackend {
  /** `sysfs`, later `cdev`; shown in messages. */
  readonly name: string;
  /** Every GPIO chip, sorted by base. Rejects with SPATIA_GPIO_NO_SYSFS when the interface is absent. */
  listChips(): Promise<readonly GpioChipInfo[]>;
  /** Requests `offset` of `chip` as an input, configured as asked. */
  openInput(request: GpioInputRequest): Promise<GpioLine>;
}

/** What to open: one line of a resolved chip, as an output. */
export interface GpioOutputRequest {
  readonly chip: GpioChipInfo;
  /** Line offset on the chip; for a Pi's header chip this is the BCM number. */
  readonly offset: number;
  /** Invert the line in the backend, so that `initial` and `write()` are logical levels. */
  readonly activeLow: boolean;
  /**
   * The logical level the line drives from the moment it becomes an output. Backends set it in
   * the same step as the direction (sysfs: `high`/`low` written to `direction`), so the line never
   * glitches through another level on the way.
   */
  readonly initial: GpioLevel;
  /** Who holds the line (`gpio actions`), for backends and tools that show a consumer. */
  readonly consumer: string;
}

/**
 * An open output line. Like {@link GpioLine}, failures reject with `SensorFault`s carrying a
 * registered code (`SPATIA_GPIO_PERMISSION`, `SPATIA_SENSOR_DISCONNECTED` when someone unexported
 * the line, ...), and levels are logical.
 */
export interface GpioOutputLine {
  /** For messages and action records: `sysfs gpio588`. */
  readonly description: string;
  /** Drives the line to `level`. */
  write(level: GpioLevel): Promise<void>;
  /** The level the line reads back (what it drives, unless something external overpowers it). */
  read(): Promise<GpioLevel>;
  /**
   * Releases the line (sysfs: unexports it), leaving it at its last level: callers drive it to
   * its safe level first. Never rejects; idempotent.
   */
  close(): Promise<void>;
}

/**
 * The output side of the GPIO port, beside {@link GpioBackend} (a separate interface so that
 * input-only backends and test doubles need not grow it). Same contract: main thread, rejects
 * only with `SensorFault`s whose message names the fix.
 */
export interface GpioOutputBackend {
  readonly name: string;
  listChips(): Promise<readonly GpioChipInfo[]>;
  /** Requests `offset` of `chip` as an output driven to `initial`. */
  openOutput(request: GpioOutputRequest): Promise<GpioOutputLine>;
}
