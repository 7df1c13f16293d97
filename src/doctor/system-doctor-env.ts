import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { DoctorEnv, DoctorFs, FileStat } from './doctor-env.js';
import { probeTcp } from './tcp-probe.js';

/**
 * The real file system, with every absolute path looked up under `root` ('/' in production; a
 * folder holding a fake machine tree in tests).
 */
export function systemDoctorFs(root = '/'): DoctorFs {
  const at = (path: string): string => (root === '/' ? path : join(root, path));
  return {
    async stat(path): Promise<FileStat | undefined> {
      try {
        const s = await stat(at(path));
        return { mode: s.mode, uid: s.uid, gid: s.gid, isDirectory: s.isDirectory() };
      } catch {
        return undefined;
      }
    },
    async readdir(path) {
      try {
        return (await readdir(at(path))).sort();
      } catch {
        return undefined;
      }
    },
    async readFile(path) {
      try {
        return await readFile(at(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    async realpath(path) {
      try {
        const real = await realpath(at(path));
        if (root === '/') return real;
        const inside = relative(await realpath(root), real);
        return inside.startsWith('..') ? real : sep + inside;
      } catch {
        return undefined;
      }
    },
  };
}

function userName(uid: number): string {
  try {
    return userInfo().username;
  } catch {
    // A uid without a passwd entry (a container, DynamicUser=): still worth a readable name.
    return `uid ${uid}`;
  }
}

/** The machine the doctor runs on, as the account it runs as. */
export function systemDoctorEnv(root = '/'): DoctorEnv {
  const uid = process.getuid?.() ?? -1;
  return {
    fs: systemDoctorFs(root),
    user: { name: userName(uid), uid, gids: process.getgroups?.() ?? [] },
    nodeVersion: process.versions.node,
    cwd: process.cwd(),
    stateDirectory: process.env['STATE_DIRECTORY'],
    probeTcp,
  };
}
