import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { GpioFs } from '../../src/sensors/gpio/gpio-fs.js';

/** A chip of the fake tree, as `gpiochipN/{base,label,ngpio}` shows it. */
export interface FakeChip {
  readonly label: string;
  readonly base: number;
  readonly ngpio: number;
}

/** Raspberry Pi 5 on kernel 6.6: the header is pinctrl-rp1 at base 571, after the SoC's brcmstb chips. */
export const PI5_CHIPS: readonly FakeChip[] = [
  { label: 'gpio-brcmstb@107d508500', base: 512, ngpio: 32 },
  { label: 'gpio-brcmstb@107d508520', base: 544, ngpio: 4 },
  { label: 'gpio-brcmstb@107d517c00', base: 548, ngpio: 17 },
  { label: 'gpio-brcmstb@107d517c20', base: 565, ngpio: 6 },
  { label: 'pinctrl-rp1', base: 571, ngpio: 54 },
];

/** Raspberry Pi 4 on kernel >= 6.2: dynamic bases start at 512. */
export const PI4_CHIPS: readonly FakeChip[] = [
  { label: 'pinctrl-bcm2711', base: 512, ngpio: 58 },
  { label: 'raspberrypi-exp-gpio', base: 570, ngpio: 8 },
];

/** Raspberry Pi 4 on an older kernel: the header chip at base 0. */
export const PI4_OLD_CHIPS: readonly FakeChip[] = [
  { label: 'pinctrl-bcm2711', base: 0, ngpio: 58 },
  { label: 'raspberrypi-exp-gpio', base: 504, ngpio: 8 },
];

interface FakeLine {
  direction: string;
  edge: string;
  activeLow: boolean;
}

interface Fault {
  readonly match: (rel: string) => boolean;
  readonly code: string;
  left: number;
}

function errno(code: string, op: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${op} '${path}' (fake sysfs)`), { code });
}

/**
 * A sysfs GPIO tree in a temp directory, plus a `GpioFs` that plays the kernel's part: writing N
 * to `export` creates `gpioN/{direction,edge,active_low,value}` at once (so tests need no
 * waiting), `unexport` removes it, attribute writes are checked like the kernel does (EINVAL,
 * EBUSY, EPERM, EIO), `value` shows the wire level through `active_low`, and `high`/`low`
 * written to `direction` make an output at that wire level in one step.
 *
 * Tests run as root, whom chmod does not stop, so missing permission is injected instead:
 * `failWith('gpio588/value', 'EACCES', 2)` makes the next two operations on that file fail.
 * Files read or written through the real fs (not `fs`) see the same tree without the emulation.
 */
export class FakeSysfsGpio {
  /** Every write through `fs` (also refused ones), paths relative to `root`. */
  readonly writes: Array<{ readonly path: string; readonly data: string }> = [];
  readonly fs: GpioFs;
  private readonly lines = new Map<number, FakeLine>();
  private readonly wire = new Map<number, 0 | 1>();
  private readonly claimed = new Set<number>();
  private readonly faults: Fault[] = [];
  private tmpCount = 0;

  private constructor(
    readonly root: string,
    private readonly top: string,
    private readonly chips: readonly FakeChip[],
    private readonly noIrq: ReadonlySet<number>,
  ) {
    this.fs = {
      readFile: async (path) => {
        this.inject('open', path);
        return readFile(path, 'utf8');
      },
      readdir: async (path) => {
        this.inject('scandir', path);
        return readdir(path);
      },
      writeFile: async (path, data) => {
        this.writes.push({ path: relative(this.root, path), data });
        this.inject('open', path);
        await this.write(path, data.trim());
      },
    };
  }

  /** A tree with `chips`; lines in `noIrq` have no `edge` file, like lines that cannot interrupt. */
  static async create(chips: readonly FakeChip[], options: { noIrq?: readonly number[] } = {}): Promise<FakeSysfsGpio> {
    const top = await mkdtemp(join(tmpdir(), 'spatia-sysfs-gpio-'));
    const root = join(top, 'sys', 'class', 'gpio');
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'export'), '');
    await writeFile(join(root, 'unexport'), '');
    for (const chip of chips) {
      const dir = join(root, `gpiochip${chip.base}`);
      await mkdir(dir);
      await writeFile(join(dir, 'base'), `${chip.base}\n`);
      await writeFile(join(dir, 'label'), `${chip.label}\n`);
      await writeFile(join(dir, 'ngpio'), `${chip.ngpio}\n`);
    }
    return new FakeSysfsGpio(root, top, chips, new Set(options.noIrq ?? []));
  }

  /** Deletes the tree. */
  async remove(): Promise<void> {
    await rm(this.top, { recursive: true, force: true });
  }

  /** Drives line `n` (global number) to `level` on the wire; `value` shows it through active_low. */
  async setLevel(n: number, level: 0 | 1): Promise<void> {
    this.wire.set(n, level);
    if (this.lines.has(n)) await this.writeValue(n);
  }

  /** Makes the next `times` operations on paths (relative to root) matching `path` fail with `code`. */
  failWith(path: string | RegExp, code: string, times = Number.POSITIVE_INFINITY): void {
    const match = typeof path === 'string' ? (rel: string) => rel === path : (rel: string) => path.test(rel);
    this.faults.push({ match, code, left: times });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Line `n` is taken by a kernel driver: exporting it gives EBUSY. */
  claim(n: number): void {
    this.claimed.add(n);
  }

  isExported(n: number): boolean {
    return this.lines.has(n);
  }

  /** The level on the wire of line `n` (what an output drives), before active_low; undefined if never set. */
  wireLevel(n: number): 0 | 1 | undefined {
    return this.wire.get(n);
  }

  /** direction, edge and active_low of exported line `n`. */
  lineState(n: number): Readonly<FakeLine> | undefined {
    const line = this.lines.get(n);
    return line && { ...line };
  }

  /** Another program unexports line `n`. */
  async unexportBehindTheBack(n: number): Promise<void> {
    await this.write(join(this.root, 'unexport'), String(n));
  }

  /** Another program exports line `n` (it then stays exported for the backend to find). */
  async exportBehindTheBack(n: number): Promise<void> {
    await this.write(join(this.root, 'export'), String(n));
  }

  private inject(op: string, path: string): void {
    const rel = relative(this.root, path);
    const fault = this.faults.find((f) => f.left > 0 && f.match(rel));
    if (fault === undefined) return;
    fault.left -= 1;
    throw errno(fault.code, op, path);
  }

  private async write(path: string, data: string): Promise<void> {
    const rel = relative(this.root, path);
    if (rel === 'export') return this.export(path, data);
    if (rel === 'unexport') return this.unexport(path, data);
    const m = /^gpio(\d+)\/(direction|edge|active_low|value)$/.exec(rel);
    const line = m === null ? undefined : this.lines.get(Number(m[1]));
    if (m === null || line === undefined) return writeFile(path, data);
    const n = Number(m[1]);
    const attr = m[2];
    if (attr === 'direction') {
      if (!['in', 'out', 'high', 'low'].includes(data)) throw errno('EINVAL', 'write', path);
      // A line with an armed interrupt cannot become an output (gpiochip_lock_as_irq holds it).
      if (data !== 'in' && line.edge !== 'none') throw errno('EIO', 'write', path);
      line.direction = data === 'in' ? 'in' : 'out';
      // The kernel's direction_store uses gpiod_direction_output_raw: `high`/`low` (and `out`, which
      // means low) are wire levels, not logical ones; active_low does not apply to them.
      if (data !== 'in') this.wire.set(n, data === 'high' ? 1 : 0);
    } else if (attr === 'edge') {
      if (this.noIrq.has(n)) throw errno('ENOENT', 'open', path);
      if (!['none', 'rising', 'falling', 'both'].includes(data)) throw errno('EINVAL', 'write', path);
      if (line.direction !== 'in' && data !== 'none') throw errno('EIO', 'write', path);
      line.edge = data;
    } else if (attr === 'active_low') {
      if (!/^-?\d+$/.test(data)) throw errno('EINVAL', 'write', path);
      line.activeLow = Number(data) !== 0;
    } else {
      if (line.direction === 'in') throw errno('EPERM', 'write', path);
      this.wire.set(n, (Number(data) !== 0) !== line.activeLow ? 1 : 0);
    }
    await writeFile(path, `${data}\n`);
    await this.writeValue(n);
  }

  private async export(path: string, data: string): Promise<void> {
    const n = /^\d+$/.test(data) ? Number(data) : Number.NaN;
    if (!this.chips.some((c) => n >= c.base && n < c.base + c.ngpio)) throw errno('EINVAL', 'write', path);
    if (this.lines.has(n) || this.claimed.has(n)) throw errno('EBUSY', 'write', path);
    const dir = join(this.root, `gpio${n}`);
    await mkdir(dir);
    this.lines.set(n, { direction: 'in', edge: 'none', activeLow: false });
    await writeFile(join(dir, 'direction'), 'in\n');
    await writeFile(join(dir, 'active_low'), '0\n');
    if (!this.noIrq.has(n)) await writeFile(join(dir, 'edge'), 'none\n');
    await this.writeValue(n);
  }

  private async unexport(path: string, data: string): Promise<void> {
    const n = /^\d+$/.test(data) ? Number(data) : Number.NaN;
    if (!this.lines.delete(n)) throw errno('EINVAL', 'write', path);
    await rm(join(this.root, `gpio${n}`), { recursive: true, force: true });
  }

  private async writeValue(n: number): Promise<void> {
    const line = this.lines.get(n);
    if (line === undefined) return;
    const level = (this.wire.get(n) ?? 0) === 1 !== line.activeLow ? 1 : 0;
    // Write and rename, so a poll never reads a half-written (empty) value file.
    const dir = join(this.root, `gpio${n}`);
    const tmp = join(dir, `.value.${(this.tmpCount += 1)}`);
    await writeFile(tmp, `${level}\n`);
    await rename(tmp, join(dir, 'value'));
  }
}
