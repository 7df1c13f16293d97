import * as fsp from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

/**
 * The open file the persistence layer writes through: the subset of node's FileHandle it uses.
 * Writes are positional so that a failed or partial write can simply be redone at the same place.
 */
export interface PersistenceFileHandle {
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  /** fsync(2): data and metadata (checkpoints, before their rename). */
  sync(): Promise<void>;
  /** fdatasync(2): data and the size, enough for an append-only file. */
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file system as the persistence layer sees it (a subset of node:fs/promises). Injected so
 * that tests can make a disk full (ENOSPC), read-only (EROFS) or forbidden (EACCES) on demand;
 * a real read-only directory cannot be made for a test running as root.
 */
export interface PersistenceFs {
  open(path: string, flags: string): Promise<PersistenceFileHandle>;
  mkdir(path: string, opts: { recursive: true }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ size: number }>;
}

/** Timers for the journal's group commit and retries. Handles are opaque. */
export interface PersistenceTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Everything from the outside world the persistence layer uses; every field injectable. */
export interface PersistenceEnv {
  readonly fs: PersistenceFs;
  readonly timers: PersistenceTimers;
  /** Wall-clock ms since the epoch: stamped into segment headers and checkpoints (downtime). */
  readonly wallMs: () => number;
  /** Monotonic ms: only to bound how long one slice of checkpoint serialization runs. */
  readonly monoMs: () => number;
  /** Gives the event loop a turn (between slices of checkpoint serialization). */
  readonly yieldToLoop: () => Promise<void>;
}

/** The real environment, with `overrides` taking precedence. */
export function persistenceEnv(overrides: Partial<PersistenceEnv> = {}): PersistenceEnv {
  return {
    fs: overrides.fs ?? nodeFs(),
    timers: overrides.timers ?? nodeTimers(),
    wallMs: overrides.wallMs ?? (() => Date.now()),
    monoMs: overrides.monoMs ?? (() => performance.now()),
    yieldToLoop: overrides.yieldToLoop ?? (() => new Promise<void>((resolve) => setImmediate(resolve))),
  };
}

/** node:fs/promises behind the {@link PersistenceFs} contract. */
export function nodeFs(): PersistenceFs {
  return {
    open: (path, flags) => fsp.open(path, flags),
    mkdir: (path, opts) => fsp.mkdir(path, opts),
    readdir: (path) => fsp.readdir(path),
    readFile: (path) => fsp.readFile(path),
    rename: (from, to) => fsp.rename(from, to),
    unlink: (path) => fsp.unlink(path),
    stat: (path) => fsp.stat(path),
  };
}

/** Node's timers; unref'd, so a pending commit never keeps a finished process alive. */
export function nodeTimers(): PersistenceTimers {
  return {
    setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

/** The errno code of a failure (`ENOSPC`), or undefined. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A one-line description of a failure for health messages. */
export function describeError(err: unknown): string {
  const code = errnoOf(err);
  const msg = err instanceof Error ? err.message : String(err);
  const hint = code === undefined ? undefined : ERRNO_HINTS[code];
  return hint === undefined ? msg : `${msg} (${hint})`;
}

const ERRNO_HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only; an SD card remounted read-only after errors does this',
  EACCES: 'no permission: check the owner of state_dir',
  EPERM: 'operation not permitted: check the owner of state_dir',
  EIO: 'an I/O error: the storage may be failing',
};
