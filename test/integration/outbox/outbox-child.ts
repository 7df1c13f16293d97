import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./outbox-child.mjs', import.meta.url));

/** Where the child finds the compiled outbox: $SPATIA_DIST, else dist/ (built by `npm test`). */
export function distDir(): string {
  return process.env['SPATIA_DIST'] ?? join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'dist');
}

export function hasCompiledOutbox(): boolean {
  return existsSync(join(distDir(), 'actions', 'outbox', 'outbox.js'));
}

/** What the child is told to do (see outbox-child.mjs). */
export interface ChildSettings {
  readonly url: string;
  readonly dir: string;
  readonly clientId: string;
  readonly statusTopic: string;
  readonly topic: string;
  readonly maxBytes: number;
  readonly from: number;
  readonly to: number;
  readonly burst?: number;
  readonly pauseMs?: number;
}

export type ChildLine = Record<string, unknown>;

/** A real process owning an outbox; its JSON lines are collected as they come. */
export class OutboxChild {
  readonly lines: ChildLine[] = [];
  readonly exited: Promise<number | null>;
  private stderr = '';
  private readonly proc: ChildProcess;

  constructor(settings: ChildSettings) {
    this.proc = spawn(process.execPath, [SCRIPT], {
      env: { ...process.env, OUTBOX_CHILD: JSON.stringify(settings), SPATIA_DIST: distDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.proc.stdout?.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (line !== '') this.lines.push(JSON.parse(line) as ChildLine);
    });
    this.proc.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
  }

  /** Event ids acknowledged (durable), in the order the child was told. */
  acked(): string[] {
    return this.lines.filter((l) => l['ack'] !== undefined).map((l) => String(l['event_id']));
  }

  /** The `i` of every acknowledged enqueue. */
  ackedIndexes(): number[] {
    return this.lines.filter((l) => l['ack'] !== undefined).map((l) => Number(l['ack']));
  }

  events(status: string): ChildLine[] {
    return this.lines.map((l) => l['event'] as ChildLine | undefined).filter((e): e is ChildLine => e !== undefined && e['status'] === status);
  }

  has(key: string): boolean {
    return this.lines.some((l) => l[key] !== undefined);
  }

  async waitFor(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (this.proc.exitCode !== null) throw new Error(`the outbox child exited (${this.proc.exitCode}) before ${what}: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Sends `signal` and waits for the exit. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    await this.exited;
  }
}
