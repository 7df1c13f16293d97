import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpatiaError } from '../../../src/core/errors.js';
import { parseBoardProfile } from '../../../src/platform/board-profile.js';
import {
  boardFor,
  cleanModel,
  detectBoard,
  loadBoardProfiles,
  packageRoot,
  readBoardModel,
  resolveBoard,
} from '../../../src/platform/board-profiles.js';

const profiles = loadBoardProfiles();

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spatia-board-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('board profiles in hardware/boards', () => {
  it('ships pi4, pi5, jetson-orin-nano and generic, with the header chip labels', () => {
    expect(profiles.map((p) => p.id)).toEqual(['generic', 'jetson-orin-nano', 'pi4', 'pi5']);
    const chips = Object.fromEntries(profiles.map((p) => [p.id, p.gpio.headerChips]));
    expect(chips).toEqual({
      generic: [],
      'jetson-orin-nano': ['tegra234-gpio'],
      pi4: ['pinctrl-bcm2711', 'pinctrl-bcm2835'],
      pi5: ['pinctrl-rp1'],
    });
  });

  it('names the header I2C buses and UARTs', () => {
    const byId = new Map(profiles.map((p) => [p.id, p]));
    expect(byId.get('pi5')?.i2c.map((b) => b.device)).toEqual(['/dev/i2c-1']);
    expect(byId.get('pi5')?.uarts.map((u) => u.device)).toEqual(['/dev/ttyAMA0']);
    expect(byId.get('pi4')?.uarts.map((u) => u.device)).toEqual(['/dev/serial0']);
    expect(byId.get('jetson-orin-nano')?.i2c.map((b) => b.bus)).toEqual([7, 1]);
    expect(byId.get('jetson-orin-nano')?.uarts.map((u) => u.device)).toEqual(['/dev/ttyTHS0']);
    expect(byId.get('jetson-orin-nano')?.groups.find((g) => g.name === 'gpio')?.existsByDefault).toBe(false);
  });

  it('finds the package root (and so hardware/) by walking up to package.json', () => {
    const root = tempDir();
    writeFileSync(join(root, 'package.json'), '{}');
    const deep = join(root, 'dist', 'platform');
    mkdirSync(deep, { recursive: true });
    expect(packageRoot(deep)).toBe(root);
  });

  it('reports a broken profile as SPATIA_BOARD naming the file and key', () => {
    expect(() => parseBoardProfile({ id: 'x' }, 'x.json')).toThrow(/x\.json: invalid board profile: gpio must be an object/);
    const dir = tempDir();
    writeFileSync(join(dir, 'pi9.json'), '{ not json');
    expect(() => loadBoardProfiles(dir)).toThrow(SpatiaError);
  });
});

describe('detectBoard', () => {
  it.each([
    ['Raspberry Pi 5 Model B Rev 1.0\0', 'pi5'],
    ['Raspberry Pi 500 Rev 1.0\0', 'pi5'],
    ['Raspberry Pi Compute Module 5 Rev 1.0\0', 'pi5'],
    ['Raspberry Pi 4 Model B Rev 1.4\0', 'pi4'],
    ['Raspberry Pi 4 Model B Rev 1.5\0', 'pi4'],
    ['Raspberry Pi 400 Rev 1.0\0', 'pi4'],
    ['Raspberry Pi Compute Module 4 Rev 1.0\0', 'pi4'],
    ['NVIDIA Jetson Orin Nano Developer Kit\0', 'jetson-orin-nano'],
    ['NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super\0', 'jetson-orin-nano'],
  ])('%j is %s', (model, id) => {
    expect(detectBoard(model, profiles)?.id).toBe(id);
  });

  it.each([['Raspberry Pi 3 Model B Plus Rev 1.3\0'], ['NVIDIA Jetson AGX Orin Developer Kit\0'], ['\0'], ['']])('%j is no known board', (model) => {
    expect(detectBoard(model, profiles)).toBeUndefined();
  });

  it('strips the trailing NUL and whitespace', () => {
    expect(cleanModel('Raspberry Pi 5 Model B Rev 1.0\0')).toBe('Raspberry Pi 5 Model B Rev 1.0');
    expect(cleanModel('  x \0\0')).toBe('x');
  });
});

describe('readBoardModel', () => {
  it('reads /proc/device-tree/model under a root, without its NUL', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'proc', 'device-tree'), { recursive: true });
    writeFileSync(join(root, 'proc', 'device-tree', 'model'), 'Raspberry Pi 4 Model B Rev 1.4\0');
    expect(await readBoardModel(root)).toBe('Raspberry Pi 4 Model B Rev 1.4');
    expect((await resolveBoard(undefined, root)).profile.id).toBe('pi4');
  });

  it('gives undefined where there is no device tree (a laptop, CI)', async () => {
    expect(await readBoardModel(tempDir())).toBeUndefined();
  });
});

describe('boardFor', () => {
  const pi5Model = 'Raspberry Pi 5 Model B Rev 1.0';

  it('uses the detected board when none is configured', () => {
    const c = boardFor(undefined, pi5Model, profiles);
    expect([c.profile.id, c.source]).toEqual(['pi5', 'detected']);
  });

  it('lets runtime.board win over the detected model, and keeps what was detected', () => {
    const c = boardFor('pi4', pi5Model, profiles);
    expect([c.profile.id, c.source, c.detected?.id]).toEqual(['pi4', 'configured', 'pi5']);
  });

  it('falls back to generic with no model or an unknown one', () => {
    expect(boardFor(undefined, undefined, profiles)).toMatchObject({ source: 'fallback', profile: { id: 'generic' } });
    expect(boardFor(undefined, 'Some Other Board', profiles)).toMatchObject({ source: 'fallback', model: 'Some Other Board' });
  });

  it('refuses an unknown runtime.board with SPATIA_BOARD and the known ids', () => {
    let error: unknown;
    try {
      boardFor('pi3', pi5Model, profiles);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SpatiaError);
    expect((error as SpatiaError).code).toBe('SPATIA_BOARD');
    expect((error as SpatiaError).message).toBe('runtime.board "pi3" is not a known board (known: generic, jetson-orin-nano, pi4, pi5)');
  });
});

describe('runtime.board', () => {
  it('accepts exactly the profiles in hardware/boards', async () => {
    const { BOARD_IDS } = await import('../../../src/config/schema-runtime.js');
    const { loadBoardProfiles } = await import('../../../src/platform/board-profiles.js');
    expect([...BOARD_IDS].sort()).toEqual(loadBoardProfiles().map((p) => p.id).sort());
  });
});
