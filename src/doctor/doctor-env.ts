import type { TcpProbeResult } from './tcp-probe.js';

/** What `stat` tells the doctor about a file: enough to work out who may open it. */
export interface FileStat {
  /** Permission bits (and file type bits; only the low 9 bits are looked at). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly isDirectory: boolean;
}

/**
 * Read-only file system access with absolute machine paths (`/sys/class/gpio`, `/dev/i2c-1`).
 * Every method answers undefined for a path that is missing or unreadable instead of throwing,
 * because "not there" is what the doctor reports, not an error.
 */
export interface DoctorFs {
  /** Follows symbolic links, like stat(2). */
  stat(path: string): Promise<FileStat | undefined>;
  /** Entry names, sorted. */
  readdir(path: string): Promise<readonly string[] | undefined>;
  readFile(path: string): Promise<string | undefined>;
  /** The path with every symbolic link resolved. */
  realpath(path: string): Promise<string | undefined>;
}

/** The account the doctor runs as (the checks answer for this account only). */
export interface DoctorUser {
  readonly name: string;
  readonly uid: number;
  /** The groups of this process, primary included (process.getgroups()). */
  readonly gids: readonly number[];
}

/**
 * Everything the doctor reads from the machine, injectable so tests run against a fake machine.
 * `systemDoctorEnv()` is the real one.
 */
export interface DoctorEnv {
  readonly fs: DoctorFs;
  readonly user: DoctorUser;
  /** `process.versions.node`. */
  readonly nodeVersion: string;
  /** Where a relative default state directory is resolved. */
  readonly cwd: string;
  /** `$STATE_DIRECTORY` (set by systemd's StateDirectory=), the default state_dir. */
  readonly stateDirectory: string | undefined;
  /** Opens a TCP connection to host:port and closes it again; never rejects. */
  probeTcp(host: string, port: number, timeoutMs: number): Promise<TcpProbeResult>;
}
