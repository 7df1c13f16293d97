import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { ErrorCode } from '../core/errors.js';
import { loadUnixDatagram, type UnixDatagram } from './unix-datagram.js';

/**
 * How notifications reach systemd: `disabled` without NOTIFY_SOCKET (not under a Type=notify
 * unit), `datagram` through unix-dgram, `systemd-notify` by running that program (no native
 * build, or an abstract socket), `none` when neither works (one warning said so).
 */
export type NotifyTransportKind = 'disabled' | 'datagram' | 'systemd-notify' | 'none';

/**
 * The service-manager notifications spatia sends (sd_notify(3)). Every method queues its message
 * and returns at once: sending never throws into the caller and never blocks the tick; a failure
 * becomes one warning. Messages go out in call order. Without NOTIFY_SOCKET every method is a
 * no-op.
 */
export interface Notifier {
  /** `READY=1`, with `STATUS=` when given: start-up (recovery and the first tick) is complete. */
  ready(status?: string): void;
  /** `WATCHDOG=1`: the service is alive; systemd restarts it when these stop for WatchdogSec. */
  watchdog(): void;
  /** `WATCHDOG=trigger`: asks systemd to act as if the watchdog had expired. */
  watchdogTrigger(): void;
  /** `STATUS=text` (one line; newlines become spaces), shown by `systemctl status`. */
  status(text: string): void;
  /** `STOPPING=1`: graceful shutdown has begun. */
  stopping(): void;
  /**
   * `RELOADING=1` with `MONOTONIC_USEC=` (CLOCK_MONOTONIC now, as Type=notify-reload requires):
   * a reload has begun; send `ready()` when the new configuration runs (or was rejected).
   */
  reloading(): void;
  /** `EXTEND_TIMEOUT_USEC=us`: start-up or shutdown needs `us` more microseconds from now. */
  extendTimeout(us: number): void;
  /** Resolves once every message queued so far was sent (or failed); never rejects. */
  flush(): Promise<void>;
}

/** The code of every warning the notifier gives (registered in src/core/errors.ts). */
export type SdNotifyCode = Extract<ErrorCode, 'SPATIA_SD_NOTIFY'>;

/** Injected dependencies of {@link SdNotify}; the defaults are the real ones. */
export interface SdNotifyOptions {
  /** Receives the one warning of a degraded or failing notifier. Default: a line on stderr. */
  readonly warn?: (message: string, code: SdNotifyCode) => void;
  /** The pid systemd-notify reports as MAINPID. Default: this process. */
  readonly pid?: number;
  /** Default `/usr/bin/systemd-notify`. */
  readonly systemdNotifyPath?: string;
  /** Default: the unix-dgram loader; tests pass a failing one to exercise the fallback. */
  readonly loadDatagram?: () => Promise<UnixDatagram>;
  /** A systemd-notify run that takes longer is killed and counted as failed. Default 10 s. */
  readonly spawnTimeoutMs?: number;
}

type Send = (message: string) => Promise<void>;

const STATUS_MAX_CHARS = 1024;

/** The sd_notify(3) client: see {@link Notifier}. */
export class SdNotify implements Notifier {
  private readonly warnFn: (message: string, code: SdNotifyCode) => void;
  private resolved: Promise<{ kind: NotifyTransportKind; send: Send | undefined }> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private warned = false;

  /**
   * @param socket the NOTIFY_SOCKET value: a path (`/run/systemd/notify`) or an abstract name
   *   (`@name`); undefined or empty disables the notifier.
   */
  constructor(
    readonly socket: string | undefined,
    private readonly opts: SdNotifyOptions = {},
  ) {
    this.warnFn = opts.warn ?? ((message, code) => process.stderr.write(`${message} [${code}]\n`));
  }

  /** The notifier for the service manager that started this process, silent when there is none. */
  static fromEnv(env: Readonly<Record<string, string | undefined>> = process.env, opts: SdNotifyOptions = {}): SdNotify {
    return new SdNotify(env['NOTIFY_SOCKET'], opts);
  }

  /** Whether NOTIFY_SOCKET was given, that is, whether anything is ever sent. */
  get enabled(): boolean {
    return this.socket !== undefined && this.socket !== '';
  }

  /** Picks the transport now (it is otherwise picked at the first message) and says which. */
  async transport(): Promise<NotifyTransportKind> {
    return (await this.resolve()).kind;
  }

  ready(status?: string): void {
    this.send(status === undefined ? 'READY=1' : `READY=1\nSTATUS=${oneLine(status)}`);
  }

  watchdog(): void {
    this.send('WATCHDOG=1');
  }

  watchdogTrigger(): void {
    this.send('WATCHDOG=trigger');
  }

  status(text: string): void {
    this.send(`STATUS=${oneLine(text)}`);
  }

  stopping(): void {
    this.send('STOPPING=1');
  }

  reloading(): void {
    // Read the clock now, not when the message leaves the queue. hrtime is CLOCK_MONOTONIC on
    // Linux, the clock systemd compares MONOTONIC_USEC against.
    this.send(`RELOADING=1\nMONOTONIC_USEC=${process.hrtime.bigint() / 1000n}`);
  }

  extendTimeout(us: number): void {
    this.send(`EXTEND_TIMEOUT_USEC=${Math.max(0, Math.round(us))}`);
  }

  flush(): Promise<void> {
    return this.queue;
  }

  private send(message: string): void {
    if (!this.enabled) return;
    this.queue = this.queue.then(() => this.deliver(message));
  }

  private async deliver(message: string): Promise<void> {
    try {
      const { send } = await this.resolve();
      if (send !== undefined) await send(message);
    } catch (err) {
      this.warnOnce(
        `sd_notify: sending ${message.split('\n')[0] ?? ''} to ${this.socket ?? ''} failed: ${errorText(err)}; ` +
          'systemd may consider the service hung (further failures are not reported)',
      );
    }
  }

  private resolve(): Promise<{ kind: NotifyTransportKind; send: Send | undefined }> {
    this.resolved ??= this.pickTransport();
    return this.resolved;
  }

  private async pickTransport(): Promise<{ kind: NotifyTransportKind; send: Send | undefined }> {
    const socket = this.socket;
    if (socket === undefined || socket === '') return { kind: 'disabled', send: undefined };
    if (!socket.startsWith('/') && !socket.startsWith('@')) {
      this.warnOnce(`sd_notify: NOTIFY_SOCKET=${socket} is not a unix socket path or @abstract name; systemd will not see READY, WATCHDOG or STATUS`);
      return { kind: 'none', send: undefined };
    }
    let datagramProblem = 'abstract sockets need systemd-notify';
    if (socket.startsWith('/')) {
      try {
        const dgram = await (this.opts.loadDatagram ?? loadUnixDatagram)();
        return { kind: 'datagram', send: (message) => dgram.send(socket, Buffer.from(message)) };
      } catch (err) {
        datagramProblem = errorText(err);
      }
    }
    const program = this.opts.systemdNotifyPath ?? '/usr/bin/systemd-notify';
    if (isExecutable(program)) return { kind: 'systemd-notify', send: (message) => this.runSystemdNotify(program, socket, message) };
    this.warnOnce(
      `sd_notify: cannot notify systemd (${datagramProblem}; ${program} is missing): READY, WATCHDOG and STATUS are not sent, ` +
        'so a Type=notify unit times out at start. Fix: npm rebuild unix-dgram (npm_config_nodedir=/usr without internet), or install systemd',
    );
    return { kind: 'none', send: undefined };
  }

  /**
   * One systemd-notify run per message. Its messages come from its own pid, so the unit needs
   * NotifyAccess=all; --pid names us as MAINPID, and systemd-notify waits (BARRIER=1) until
   * systemd has processed the message, so it is not lost when the program exits first.
   */
  private runSystemdNotify(program: string, socket: string, message: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const child = spawn(program, [`--pid=${this.opts.pid ?? process.pid}`, ...message.split('\n')], {
        env: { NOTIFY_SOCKET: socket },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), this.opts.spawnTimeoutMs ?? 10_000);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`${program} ${signal === null ? `exited with ${code ?? '?'}` : `was killed (${signal})`}${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}`));
      });
    });
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    try {
      this.warnFn(message, 'SPATIA_SD_NOTIFY');
    } catch {
      // A failing logger must not turn a lost notification into a crash.
    }
  }
}

/**
 * The watchdog timeout systemd expects pings within (WATCHDOG_USEC, in µs), or undefined when the
 * unit has no WatchdogSec=, the value is not a positive integer, or WATCHDOG_PID names another
 * process (the variables were inherited from a parent). Ping every half of it.
 */
export function watchdogIntervalUs(env: Readonly<Record<string, string | undefined>> = process.env, pid: number = process.pid): number | undefined {
  const usec = env['WATCHDOG_USEC'];
  if (usec === undefined || !/^\d+$/.test(usec)) return undefined;
  const us = Number(usec);
  if (!Number.isSafeInteger(us) || us <= 0) return undefined;
  const forPid = env['WATCHDOG_PID'];
  if (forPid !== undefined && forPid !== '' && forPid !== String(pid)) return undefined;
  return us;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, STATUS_MAX_CHARS);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
