import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Helpers for tests that run `spatia run` as a child process (bin/spatia.js over dist/). */
export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'spatia.js');

export interface Rec {
  t: number;
  tick: number;
  type: string;
  [k: string]: unknown;
}

/** A running `spatia run`, its stderr collected. */
export class RunChild {
  err = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly proc: ChildProcess;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.proc = spawn(process.execPath, [BIN, 'run', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    this.proc.stderr?.setEncoding('utf8').on('data', (d: string) => (this.err += d));
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves once stderr holds `text` (rejects after `timeoutMs` or if the process ends). */
  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let ended = false;
    void this.exited.then(() => (ended = true));
    const has = (): boolean => (typeof text === 'string' ? this.err.includes(text) : text.test(this.err));
    while (!has()) {
      if (ended) throw new Error(`spatia run ended before printing ${String(text)}:\n${this.err}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${String(text)}:\n${this.err}`);
      await sleep(20);
    }
  }

  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.proc.kill(signal);
    return this.exited;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The records of a JSON Lines log file (none for a missing file). */
export function readLog(path: string): Rec[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Rec);
}
