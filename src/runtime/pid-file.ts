import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `<state_dir>/spatia.pid`: how `spatia reload CONFIG` finds the run to signal. */
export function pidFileOf(stateDir: string): string {
  return join(stateDir, 'spatia.pid');
}

/**
 * Writes this process's pid into the state directory. A directory that cannot be written costs
 * only `spatia reload` (SIGHUP and `systemctl reload` still work): warned, never fatal.
 */
export function writePidFile(stateDir: string, warn: (line: string) => void): string | undefined {
  const file = pidFileOf(stateDir);
  try {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, `${process.pid}\n`);
    return file;
  } catch (err) {
    warn(`cannot write ${file} (${(err as Error).message}): spatia reload will not find this run; send SIGHUP instead`);
    return undefined;
  }
}

/** Removes the pid file if it still names this process (a newer run may have replaced it). */
export function removePidFile(file: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
  } catch {
    // Already gone: nothing to do.
  }
}

/** The pid a run wrote, if the file exists and that process is alive. */
export function runningPid(stateDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFileOf(stateDir), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive but another user's; signalling will say so.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
