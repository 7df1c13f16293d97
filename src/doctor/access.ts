import type { ErrorCode } from '../core/errors.js';
import { type CheckResult, fail, ok } from './check-result.js';
import type { DoctorUser, FileStat } from './doctor-env.js';

/** A line of /etc/group. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

/** Permission bits asked for: read 4, write 2, search/execute 1 (combine with `|`). */
export const R = 4;
export const W = 2;
export const X = 1;

/** Parses /etc/group (`name:x:gid:user1,user2`); malformed lines are skipped. */
export function parseGroupFile(text: string | undefined): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const [name, , gidText, members] = line.trim().split(':');
    const gid = Number(gidText);
    if (name === undefined || name === '' || name.startsWith('#') || gidText === '' || !Number.isInteger(gid)) continue;
    entries.push({ name, gid, members: (members ?? '').split(',').filter((m) => m !== '') });
  }
  return entries;
}

/**
 * Whether `user` gets the `need` bits on a file, by the classic owner/group/other rule (the
 * owner class applies even when it grants less than the group class). root gets everything.
 * ACLs are not looked at; the devices spatia opens do not use them.
 */
export function permits(stat: FileStat, user: DoctorUser, need: number): boolean {
  if (user.uid === 0) return true;
  const bits = stat.uid === user.uid ? stat.mode >> 6 : user.gids.includes(stat.gid) ? stat.mode >> 3 : stat.mode;
  return (bits & need & 7) === (need & 7);
}

/** `session`: the process has the group; `listed`: /etc/group lists the user but this login predates it. */
export type Membership = 'session' | 'listed' | 'none' | 'no-group';

export function membership(groups: readonly GroupEntry[], user: DoctorUser, name: string): Membership {
  const group = groups.find((g) => g.name === name);
  if (group === undefined) return 'no-group';
  if (user.gids.includes(group.gid)) return 'session';
  return group.members.includes(user.name) ? 'listed' : 'none';
}

/** The command that puts `user` in group `name`, or an empty string when it already is. */
export function joinGroupFix(groups: readonly GroupEntry[], user: DoctorUser, name: string): string {
  switch (membership(groups, user, name)) {
    case 'session':
      return '';
    case 'listed':
      return `${user.name} is in group ${name} in /etc/group but not in this login session: log out and in again (a service gets it at its next restart)`;
    case 'none':
      return `sudo usermod -aG ${name} ${user.name}, then log out and in again (a service gets it at its next restart)`;
    case 'no-group':
      return `sudo groupadd -r ${name} && sudo usermod -aG ${name} ${user.name}, then log out and in again`;
  }
}

/** Which group and udev rule open a kind of device, and the code `spatia run` would report. */
export interface DeviceKind {
  readonly group: string;
  /** Relative to hardware/. */
  readonly udevRule: string;
  readonly code: ErrorCode;
}

export const GPIO_DEVICE: DeviceKind = { group: 'gpio', udevRule: 'udev/99-spatia-gpio.rules', code: 'SPATIA_GPIO_PERMISSION' };
export const I2C_DEVICE: DeviceKind = { group: 'i2c', udevRule: 'udev/99-spatia-i2c.rules', code: 'SPATIA_I2C_BUS' };
export const SERIAL_DEVICE: DeviceKind = { group: 'dialout', udevRule: 'udev/99-spatia-serial.rules', code: 'SPATIA_SERIAL_OPEN' };

function groupName(groups: readonly GroupEntry[], gid: number): string {
  return groups.find((g) => g.gid === gid)?.name ?? (gid === 0 ? 'root' : String(gid));
}

function verb(need: number): string {
  return [need & R ? 'read' : '', need & W ? 'write' : ''].filter((v) => v !== '').join('/') || 'access';
}

/**
 * Checks that `user` may open `path` (already stat'ed) for `need`, and when not, says which
 * group to join, or which udev rule to install when no group is given access at all.
 */
export function accessCheck(
  subject: string,
  path: string,
  stat: FileStat,
  need: number,
  kind: DeviceKind,
  user: DoctorUser,
  groups: readonly GroupEntry[],
): CheckResult {
  const fileGroup = groupName(groups, stat.gid);
  const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
  const what = `(group ${fileGroup}, mode ${mode})`;
  const where = path === subject ? '' : `${path}: `;
  if (permits(stat, user, need)) return ok(subject, `${where}${verb(need)} allowed ${what}`);
  const groupOpensIt = stat.gid !== 0 && ((stat.mode >> 3) & need & 7) === (need & 7);
  const joinFileGroup = groupOpensIt ? joinGroupFix(groups, user, fileGroup) : '';
  let fix = joinFileGroup;
  if (fix === '') {
    const join = joinGroupFix(groups, user, kind.group);
    fix = `install hardware/${kind.udevRule} (see hardware/README.md), which gives group ${kind.group} access` + (join === '' ? '' : `; ${join}`);
  }
  return fail(subject, `${where}no ${verb(need)} permission for ${user.name} ${what}`, fix, kind.code);
}
