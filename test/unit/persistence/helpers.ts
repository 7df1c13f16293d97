import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Frame, ReadStatus } from '../../../src/core/frame.js';
import { nodeFs, type PersistenceFileHandle, type PersistenceFs, type PersistenceTimers } from '../../../src/persistence/persistence-env.js';
import type { PersistenceHealth } from '../../../src/persistence/persistence-health.js';

/** A fresh directory under the OS temp dir; `cleanup()` removes them all. */
export function tempDirs(): { make: (prefix?: string) => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    make: (prefix = 'spatia-persist-') => {
      const d = mkdtempSync(join(tmpdir(), prefix));
      made.push(d);
      return d;
    },
    cleanup: () => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })),
  };
}

/** Timers that fire only when the test says so: commits happen at `flush()` or `fire()`. */
export class ManualTimers implements PersistenceTimers {
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Runs every timer due now (they may schedule more, which wait for the next call). */
  fire(): void {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, t] of due) t.fn();
  }
}

export type FsOp = 'open' | 'write' | 'sync' | 'datasync' | 'truncate' | 'mkdir' | 'rename' | 'unlink' | 'readdir' | 'readFile' | 'stat';

/**
 * The real file system with failures injected on demand: `failWith('ENOSPC', ['write'])` makes
 * every write fail as a full disk would, until `heal()`. Counts calls per operation.
 */
export class FaultyFs implements PersistenceFs {
  private failure: { code: string; ops: ReadonlySet<FsOp>; after: number } | undefined;
  readonly calls = new Map<FsOp, number>();
  private readonly real = nodeFs();

  failWith(code: string, ops: readonly FsOp[], afterBytes = 0): void {
    this.failure = { code, ops: new Set(ops), after: afterBytes };
  }

  heal(): void {
    this.failure = undefined;
  }

  private check(op: FsOp): void {
    this.calls.set(op, (this.calls.get(op) ?? 0) + 1);
    const f = this.failure;
    if (f !== undefined && f.ops.has(op)) throw Object.assign(new Error(`${f.code}: injected failure, ${op}`), { code: f.code });
  }

  async open(path: string, flags: string): Promise<PersistenceFileHandle> {
    this.check('open');
    const fh = await this.real.open(path, flags);
    return {
      write: async (buffer, offset, length, position) => {
        const f = this.failure;
        // A full disk often accepts part of a write: write `after` bytes, then fail.
        if (f !== undefined && f.ops.has('write') && f.after > 0 && length > f.after) {
          await fh.write(buffer, offset, f.after, position);
        }
        this.check('write');
        return fh.write(buffer, offset, length, position);
      },
      sync: async () => {
        this.check('sync');
        await fh.sync();
      },
      datasync: async () => {
        this.check('datasync');
        await fh.datasync();
      },
      truncate: async (n) => {
        this.check('truncate');
        await fh.truncate(n);
      },
      close: () => fh.close(),
    };
  }

  async mkdir(path: string, opts: { recursive: true }): Promise<unknown> {
    this.check('mkdir');
    return this.real.mkdir(path, opts);
  }

  async readdir(path: string): Promise<string[]> {
    this.check('readdir');
    return this.real.readdir(path);
  }

  async readFile(path: string): Promise<Uint8Array> {
    this.check('readFile');
    return this.real.readFile(path);
  }

  async rename(from: string, to: string): Promise<void> {
    this.check('rename');
    return this.real.rename(from, to);
  }

  async unlink(path: string): Promise<void> {
    this.check('unlink');
    return this.real.unlink(path);
  }

  async stat(path: string): Promise<{ size: number }> {
    this.check('stat');
    return this.real.stat(path);
  }
}

/** Collects health events. */
export function healthLog(): { events: PersistenceHealth[]; listener: (e: PersistenceHealth) => void } {
  const events: PersistenceHealth[] = [];
  return { events, listener: (e) => events.push(e) };
}

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A stream of frames exercising every entry kind: ints, float32-exact, float64, -0, NaN,
 * booleans, strings, JSON objects and null, held values, failures with repeating and changing
 * texts, and ticks where nothing is read.
 */
export function frameStream(size: number, seed: number): (tick: number) => Frame {
  const r = rng(seed);
  const frame = new Frame(size);
  const held: unknown[] = new Array<unknown>(size).fill(0);
  return (tick) => {
    frame.clear();
    if (tick % 7 === 3) return frame;
    for (let i = 0; i < size; i++) {
      const x = r();
      if (x < 0.25) continue;
      frame.obj[i] = undefined;
      frame.error[i] = undefined;
      if (x < 0.3) {
        frame.status[i] = x < 0.27 ? ReadStatus.Timeout : x < 0.28 ? ReadStatus.Error : ReadStatus.Garbage;
        frame.error[i] = x < 0.29 ? 'mock fault: timeout' : x < 0.295 ? undefined : `bad ${Math.floor(r() * 3)}`;
        continue;
      }
      frame.status[i] = ReadStatus.Ok;
      if (x < 0.55) {
        const v = held[i];
        if (typeof v === 'number') frame.num[i] = v;
        else frame.obj[i] = v;
        continue;
      }
      const kind = i % 6;
      const v: unknown =
        kind === 0 ? Math.floor(r() * 2000) - 1000
        : kind === 1 ? r() * 100
        : kind === 2 ? [0.5, -0, NaN, Infinity, 1e300, -2.25][Math.floor(r() * 6)]
        : kind === 3 ? (r() < 0.5 ? 1 : 0)
        : kind === 4 ? ['a', 'ü€', '', 'line\nbreak'][Math.floor(r() * 4)]
        : [{ x: r(), y: [1, 2] }, null, { id: 'p1', x: 1.5, y: 2 }][Math.floor(r() * 3)];
      held[i] = v;
      if (typeof v === 'number') frame.num[i] = v;
      else frame.obj[i] = v;
    }
    return frame;
  };
}

/** A plain copy of a frame's meaningful content, for deep equality. */
export function frameContent(f: Frame): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < f.size; i++) {
    const s = f.status[i];
    if (s === ReadStatus.None) out.push(null);
    else if (s === ReadStatus.Ok) out.push(f.obj[i] !== undefined ? { ok: f.obj[i] } : { ok: Object.is(f.num[i], -0) ? '-0' : f.num[i] });
    else out.push({ status: s, error: f.error[i] });
  }
  return out;
}
