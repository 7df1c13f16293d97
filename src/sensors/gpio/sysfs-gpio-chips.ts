import { join } from 'node:path';
import type { GpioChipInfo } from './gpio-backend.js';
import { errnoOf, type GpioFs } from './gpio-fs.js';
import { ioFault, noSysfsFault } from './gpio-faults.js';

async function readInt(fs: GpioFs, path: string): Promise<number | undefined> {
  const text = (await fs.readFile(path)).trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

async function readChip(fs: GpioFs, root: string, name: string): Promise<GpioChipInfo | undefined> {
  const dir = join(root, name);
  try {
    const [base, ngpio, label] = await Promise.all([readInt(fs, join(dir, 'base')), readInt(fs, join(dir, 'ngpio')), fs.readFile(join(dir, 'label'))]);
    if (base === undefined || ngpio === undefined) return undefined;
    return { name, label: label.trim(), base, ngpio };
  } catch {
    // A chip whose attributes cannot be read cannot be used either; the others still can.
    return undefined;
  }
}

/**
 * The GPIO chips under a sysfs GPIO directory (`root/gpiochipN/{base,label,ngpio}`), sorted by
 * base. Rejects with SPATIA_GPIO_NO_SYSFS when `root` does not exist.
 */
export async function listSysfsGpioChips(root: string, fs: GpioFs): Promise<GpioChipInfo[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(root);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') throw noSysfsFault(root);
    throw ioFault('listing GPIO chips', root, err);
  }
  const names = entries.filter((e) => /^gpiochip\d+$/.test(e));
  const chips = await Promise.all(names.map((name) => readChip(fs, root, name)));
  return chips.filter((c): c is GpioChipInfo => c !== undefined).sort((a, b) => a.base - b.base);
}
