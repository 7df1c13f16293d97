import { readdir, readFile, writeFile } from 'node:fs/promises';

/**
 * The file operations the sysfs backend performs, injectable so that a fake tree can emulate the
 * kernel's side effects (writing `export` creates `gpioN/`) and inject the errors that root, who
 * runs the tests, would never get from chmod (EACCES, EPERM).
 *
 * Contract: failures reject with Node-style errors carrying an errno `code` (`ENOENT`, `EACCES`,
 * `EBUSY`, `EINVAL`, ...), exactly as node:fs/promises does.
 */
export interface GpioFs {
  /** The whole file as UTF-8 text. */
  readFile(path: string): Promise<string>;
  /** Writes `data` in one write(2), as `echo data > path` does (sysfs takes one value per write). */
  writeFile(path: string, data: string): Promise<void>;
  /** Entry names of a directory. */
  readdir(path: string): Promise<string[]>;
}

/** The real file system. */
export function nodeGpioFs(): GpioFs {
  return {
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, data) => writeFile(path, data),
    readdir: (path) => readdir(path),
  };
}

/** The errno code of a failure (`EACCES`), or undefined when it has none. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
