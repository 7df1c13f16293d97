import { SpatiaError } from '../core/errors.js';

/** An I2C bus on a board's header, and how to switch it on. */
export interface BoardI2cBus {
  readonly bus: number;
  /** `/dev/i2c-N`. */
  readonly device: string;
  readonly pins: string;
  /** The command or config line that enables the bus (printed by `spatia doctor`). */
  readonly enable: string;
}

/** A UART on a board's header. */
export interface BoardUart {
  readonly device: string;
  readonly pins: string;
  readonly notes: string;
  readonly enable: string;
}

/** A group whose members get access to a kind of device. */
export interface BoardGroup {
  readonly name: string;
  /** Which devices it opens. */
  readonly for: string;
  /** False where the group must be created first (`gpio` on Jetson). */
  readonly existsByDefault: boolean;
}

/**
 * A board profile, read from `hardware/boards/<id>.json`. Profiles only document and point the
 * way: live facts such as a chip's sysfs base are always read from the running kernel.
 */
export interface BoardProfile {
  /** The `runtime.board` value that selects it: `pi4`, `pi5`, `jetson-orin-nano`, `generic`. */
  readonly id: string;
  readonly name: string;
  /** Substrings of /proc/device-tree/model that identify the board (case-insensitive). */
  readonly modelPatterns: readonly string[];
  readonly gpio: {
    /**
     * Labels of the chip carrying the header's lines, preferred first (older kernels label the
     * same chip differently). Empty for `generic`: gpio sensors then need an explicit `chip`.
     */
    readonly headerChips: readonly string[];
    /** Other chips users may meet (the Jetson's always-on chip also carries header pins). */
    readonly otherChips: readonly string[];
    /** How `pin` maps to the header on this board. */
    readonly headerLines: string;
    /** What to do when /sys/class/gpio is absent. */
    readonly noSysfsFix: string;
    /** Where the line numbers start on this board's kernels (documentation only). */
    readonly baseNotes: string;
  };
  readonly i2c: readonly BoardI2cBus[];
  readonly uarts: readonly BoardUart[];
  /** How to take the kernel console off a UART. */
  readonly consoleFix: string;
  readonly groups: readonly BoardGroup[];
  /** udev rule files, relative to hardware/. */
  readonly udevRules: readonly string[];
  readonly sources: readonly string[];
}

type Json = Record<string, unknown>;

function bad(file: string, what: string): never {
  throw new SpatiaError('SPATIA_BOARD', `${file}: invalid board profile: ${what}`);
}

function obj(v: unknown, file: string, key: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(file, `${key} must be an object`);
  return v as Json;
}

function text(o: Json, key: string, file: string): string {
  const v = o[key];
  if (typeof v !== 'string') bad(file, `${key} must be a string`);
  return v;
}

function texts(o: Json, key: string, file: string): string[] {
  const v = o[key];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) bad(file, `${key} must be a list of strings`);
  return v as string[];
}

function list(o: Json, key: string, file: string): Json[] {
  const v = o[key];
  if (!Array.isArray(v)) bad(file, `${key} must be a list`);
  return v.map((item, i) => obj(item, file, `${key}[${i}]`));
}

/**
 * Checks and converts one parsed profile file (snake_case JSON) into a BoardProfile. A broken
 * profile is a packaging bug, reported as SPATIA_BOARD naming the file and the key.
 */
export function parseBoardProfile(json: unknown, file: string): BoardProfile {
  const o = obj(json, file, 'the profile');
  const gpio = obj(o['gpio'], file, 'gpio');
  const id = text(o, 'id', file);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) bad(file, `id "${id}" must be lower-case letters, digits and dashes`);
  return {
    id,
    name: text(o, 'name', file),
    modelPatterns: texts(o, 'model_patterns', file),
    gpio: {
      headerChips: texts(gpio, 'header_chips', file),
      otherChips: texts(gpio, 'other_chips', file),
      headerLines: text(gpio, 'header_lines', file),
      noSysfsFix: text(gpio, 'no_sysfs_fix', file),
      baseNotes: text(gpio, 'base_notes', file),
    },
    i2c: list(o, 'i2c', file).map((b) => {
      const bus = b['bus'];
      if (typeof bus !== 'number' || !Number.isInteger(bus) || bus < 0) bad(file, 'i2c[].bus must be a bus number');
      return { bus, device: text(b, 'device', file), pins: text(b, 'pins', file), enable: text(b, 'enable', file) };
    }),
    uarts: list(o, 'uarts', file).map((u) => ({
      device: text(u, 'device', file),
      pins: text(u, 'pins', file),
      notes: text(u, 'notes', file),
      enable: text(u, 'enable', file),
    })),
    consoleFix: text(o, 'console_fix', file),
    groups: list(o, 'groups', file).map((g) => {
      const existsByDefault = g['exists_by_default'];
      if (typeof existsByDefault !== 'boolean') bad(file, 'groups[].exists_by_default must be true or false');
      return { name: text(g, 'name', file), for: text(g, 'for', file), existsByDefault };
    }),
    udevRules: texts(o, 'udev_rules', file),
    sources: texts(o, 'sources', file),
  };
}
