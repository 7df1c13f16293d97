import { dirname, join } from 'node:path';
import type { DoctorEnv, DoctorFs, DoctorUser, FileStat } from '../../../src/doctor/doctor-env.js';
import { probeTcp } from '../../../src/doctor/tcp-probe.js';

/** One node of a fake machine: a file (with content), a directory, or a symbolic link. */
export interface FakeNode {
  readonly content?: string;
  readonly dir?: boolean;
  /** Symbolic link target, absolute or relative to the link's folder. */
  readonly link?: string;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

/** A tree of absolute paths; a string is a root-owned 0644 file with that content. */
export type FakeTree = Readonly<Record<string, FakeNode | string>>;

/** An in-memory file system: folders exist implicitly above every path that is listed. */
export function fakeFs(tree: FakeTree): DoctorFs {
  const nodes = new Map<string, FakeNode>(Object.entries(tree).map(([p, n]) => [p, typeof n === 'string' ? { content: n } : n]));
  const resolveLinks = (path: string): string | undefined => {
    let p = path;
    for (let hops = 0; hops < 10; hops++) {
      const link = nodes.get(p)?.link;
      if (link === undefined) return p;
      p = link.startsWith('/') ? link : join(dirname(p), link);
    }
    return undefined;
  };
  const isImplicitDir = (p: string): boolean => [...nodes.keys()].some((k) => k.startsWith(p === '/' ? '/' : `${p}/`));
  return {
    async stat(path): Promise<FileStat | undefined> {
      const p = resolveLinks(path);
      if (p === undefined) return undefined;
      const n = nodes.get(p);
      if (n !== undefined) {
        const dir = n.dir === true;
        return { mode: n.mode ?? (dir ? 0o755 : 0o644), uid: n.uid ?? 0, gid: n.gid ?? 0, isDirectory: dir };
      }
      return isImplicitDir(p) ? { mode: 0o755, uid: 0, gid: 0, isDirectory: true } : undefined;
    },
    async readdir(path) {
      const p = resolveLinks(path);
      if (p === undefined || (!isImplicitDir(p) && nodes.get(p)?.dir !== true)) return undefined;
      const prefix = p === '/' ? '/' : `${p}/`;
      const names = new Set<string>();
      for (const k of nodes.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0] ?? '');
      return [...names].sort();
    },
    async readFile(path) {
      const p = resolveLinks(path);
      return p === undefined ? undefined : nodes.get(p)?.content;
    },
    async realpath(path) {
      const p = resolveLinks(path);
      if (p === undefined) return undefined;
      return nodes.has(p) || isImplicitDir(p) ? p : undefined;
    },
  };
}

export const PI: DoctorUser = { name: 'pi', uid: 1000, gids: [1000] };

/** A fake machine: the tree, the account, Node 20, and the real TCP probe (tests use loopback ports). */
export function fakeMachine(tree: FakeTree, overrides: Partial<DoctorEnv> = {}): DoctorEnv {
  return {
    fs: fakeFs(tree),
    user: PI,
    nodeVersion: '20.19.0',
    cwd: '/home/pi',
    stateDirectory: undefined,
    probeTcp,
    ...overrides,
  };
}

/** /etc/group with the usual device groups; `members` lists who is in each. */
export function groupFile(members: Readonly<Record<string, readonly string[]>> = {}): string {
  const gids: Record<string, number> = { root: 0, dialout: 20, i2c: 998, gpio: 997, pi: 1000 };
  return Object.entries(gids)
    .map(([name, gid]) => `${name}:x:${gid}:${(members[name] ?? []).join(',')}`)
    .join('\n');
}

/** A Raspberry Pi 5 on Bookworm: the RP1 chip at base 571, I2C-1, the header UART, udev rules applied. */
export function pi5Tree(extra: FakeTree = {}): FakeTree {
  return {
    '/proc/device-tree/model': 'Raspberry Pi 5 Model B Rev 1.0\0',
    '/proc/cmdline': 'coherent_pool=1M 8250.nr_uarts=1 console=ttyAMA10,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait',
    '/etc/group': groupFile({ gpio: ['pi'], i2c: ['pi'], dialout: ['pi'] }),
    '/sys/class/gpio/export': { content: '', mode: 0o220, gid: 997 },
    '/sys/class/gpio/unexport': { content: '', mode: 0o220, gid: 997 },
    '/sys/class/gpio/gpiochip512/base': '512\n',
    '/sys/class/gpio/gpiochip512/ngpio': '32\n',
    '/sys/class/gpio/gpiochip512/label': 'gpio-brcmstb@107d508500\n',
    '/sys/class/gpio/gpiochip571/base': '571\n',
    '/sys/class/gpio/gpiochip571/ngpio': '54\n',
    '/sys/class/gpio/gpiochip571/label': 'pinctrl-rp1\n',
    '/sys/class/gpio/gpiochip571/device/gpiochip4': { dir: true },
    '/dev/gpiochip4': { mode: 0o660, gid: 997 },
    '/dev/i2c-1': { mode: 0o660, gid: 998 },
    '/sys/class/i2c-adapter/i2c-1': { dir: true },
    '/dev/ttyAMA0': { mode: 0o660, gid: 20 },
    '/dev/ttyAMA10': { mode: 0o620, gid: 5 },
    '/dev/serial0': { link: 'ttyAMA10' },
    '/home/pi': { dir: true, mode: 0o755, uid: 1000, gid: 1000 },
    ...extra,
  };
}

/** The groups pi has in a session where it is in gpio, i2c and dialout. */
export const PI_IN_GROUPS: DoctorUser = { name: 'pi', uid: 1000, gids: [1000, 997, 998, 20] };

/** The tree without some paths (a device that is not there). */
export function without(tree: FakeTree, ...paths: string[]): FakeTree {
  return Object.fromEntries(Object.entries(tree).filter(([p]) => !paths.includes(p)));
}
