import { describe, expect, it } from 'vitest';
import { GPIO_DEVICE, R, W, X, accessCheck, joinGroupFix, membership, parseGroupFile, permits } from '../../../src/doctor/access.js';
import { PI, groupFile } from './fake-machine.js';

const groups = parseGroupFile(groupFile({ gpio: ['pi'] }));

describe('parseGroupFile', () => {
  it('reads name, gid and members, skipping junk', () => {
    expect(parseGroupFile('gpio:x:997:pi,spatia\n\n# comment\nbroken\ni2c:x:998:\n')).toEqual([
      { name: 'gpio', gid: 997, members: ['pi', 'spatia'] },
      { name: 'i2c', gid: 998, members: [] },
    ]);
    expect(parseGroupFile(undefined)).toEqual([]);
  });
});

describe('permits', () => {
  const file = { mode: 0o660, uid: 0, gid: 998, isDirectory: false };

  it('grants by group when the process has the group', () => {
    expect(permits(file, { ...PI, gids: [1000, 998] }, R | W)).toBe(true);
    expect(permits(file, PI, R)).toBe(false);
  });

  it('applies the owner class first, even when it grants less', () => {
    expect(permits({ mode: 0o060, uid: 1000, gid: 1000, isDirectory: false }, PI, R)).toBe(false);
  });

  it('lets root do anything, and others by the last three bits', () => {
    expect(permits({ ...file, mode: 0o600 }, { name: 'root', uid: 0, gids: [0] }, R | W)).toBe(true);
    expect(permits({ ...file, mode: 0o606 }, PI, R | W)).toBe(true);
    expect(permits({ mode: 0o755, uid: 0, gid: 0, isDirectory: true }, PI, W | X)).toBe(false);
  });
});

describe('group membership and its fix', () => {
  it('tells a group of this session from one added after the login', () => {
    expect(membership(groups, { ...PI, gids: [1000, 997] }, 'gpio')).toBe('session');
    expect(membership(groups, PI, 'gpio')).toBe('listed');
    expect(membership(groups, PI, 'i2c')).toBe('none');
    expect(membership(groups, PI, 'spi')).toBe('no-group');
  });

  it('names the command', () => {
    expect(joinGroupFix(groups, PI, 'i2c')).toMatch(/^sudo usermod -aG i2c pi, then log out and in again/);
    expect(joinGroupFix(groups, PI, 'gpio')).toMatch(/not in this login session: log out and in again/);
    expect(joinGroupFix(groups, PI, 'spi')).toMatch(/^sudo groupadd -r spi && sudo usermod -aG spi pi/);
  });
});

describe('accessCheck', () => {
  it('asks for the udev rule when only root may open the file', () => {
    const r = accessCheck('gpio', '/sys/class/gpio/export', { mode: 0o200, uid: 0, gid: 0, isDirectory: false }, W, GPIO_DEVICE, PI, groups);
    expect(r.status).toBe('fail');
    expect(r.code).toBe('SPATIA_GPIO_PERMISSION');
    expect(r.message).toBe('/sys/class/gpio/export: no write permission for pi (group root, mode 0200)');
    expect(r.fix).toMatch(/^install hardware\/udev\/99-spatia-gpio\.rules .*; pi is in group gpio in \/etc\/group but not in this login session/);
  });
});
