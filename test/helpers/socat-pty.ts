import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOCAT = '/usr/bin/socat';

/** Why socat-based tests cannot run here (for a skip message), or undefined when they can. */
export function socatMissing(): string | undefined {
  try {
    accessSync(SOCAT, constants.X_OK);
    return undefined;
  } catch {
    return `${SOCAT} not found: install socat (apt install socat) to run the serial pseudo-terminal tests`;
  }
}

/**
 * A real pseudo-terminal pair joined by socat: bytes written to one end come out of the other,
 * through the kernel's tty layer, as with a USB serial adapter. `a` and `b` are symlinks to the
 * two ptys (like /dev/serial/by-id links) and stay the same across `kill()`/`restart()`.
 */
export class SocatPty {
  private child: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly a: string,
    readonly b: string,
  ) {}

  /** Starts socat in a fresh temporary directory; resolves once both links lead to live ptys. */
  static async start(): Promise<SocatPty> {
    const dir = await mkdtemp(join(tmpdir(), 'spatia-socat-'));
    const pty = new SocatPty(dir, join(dir, 'a'), join(dir, 'b'));
    await pty.restart();
    return pty;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /**
   * The peer dies: socat is killed with SIGKILL (so it cannot clean up) and the links are removed,
   * as udev removes a /dev/serial/by-id link when the adapter is unplugged. Removing them also
   * keeps a reopen from landing on a pty number the kernel handed to someone else meanwhile.
   */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    }
    await Promise.all([rm(this.a, { force: true }), rm(this.b, { force: true })]);
  }

  /** Starts socat again on the same link paths (killing a running one first). */
  async restart(): Promise<void> {
    await this.kill();
    const child = spawn(SOCAT, ['-d', '-d', `pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`socat did not start within 10 s:\n${stderr}`)), 10_000);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        reject(err);
      };
      child.once('error', fail);
      child.once('exit', (code, signal) => fail(new Error(`socat exited (${code ?? signal}) while starting:\n${stderr}`)));
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => {
        stderr += text;
        // Logged once both ptys exist and their links are made.
        if (!stderr.includes('starting data transfer loop')) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve();
      });
    });
    // Both links must lead to the ptys socat announced (never to stale ones).
    const ptys = [...stderr.matchAll(/PTY is (\S+)/g)].map((m) => m[1]);
    const targets = await Promise.all([readlink(this.a), readlink(this.b)]);
    if (JSON.stringify(targets) !== JSON.stringify(ptys)) throw new Error(`socat links ${targets.join(', ')} do not match its ptys ${ptys.join(', ')}`);
    child.stderr?.resume();
  }

  /** Kills socat and removes the temporary directory. */
  async stop(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
