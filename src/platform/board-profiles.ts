import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpatiaError } from '../core/errors.js';
import { type BoardProfile, parseBoardProfile } from './board-profile.js';

/** The profile used when no board is configured or detected (a laptop, CI, an unknown SBC). */
export const GENERIC_BOARD_ID = 'generic';

/**
 * The package root: the nearest folder above `from` holding a package.json. Works from the
 * sources (src/platform) and from the compiled files (dist/platform) alike.
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new SpatiaError('SPATIA_BOARD', `no package.json above ${from}: cannot find hardware/`);
  }
}

/** `hardware/boards` of this package. */
export function boardProfilesDir(): string {
  return join(packageRoot(), 'hardware', 'boards');
}

/**
 * Reads every `*.json` profile in `dir`, sorted by id. Synchronous: a handful of small package
 * files read once at start. Throws SPATIA_BOARD on a broken file, duplicate ids or a missing
 * `generic` profile.
 */
export function loadBoardProfiles(dir: string = boardProfilesDir()): readonly BoardProfile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch (err) {
    throw new SpatiaError('SPATIA_BOARD', `cannot read the board profiles in ${dir}: ${(err as Error).message}`);
  }
  const profiles = names.map((name) => {
    const file = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new SpatiaError('SPATIA_BOARD', `${file}: ${(err as Error).message}`);
    }
    return parseBoardProfile(json, file);
  });
  profiles.sort((a, b) => a.id.localeCompare(b.id));
  for (let i = 1; i < profiles.length; i++) {
    if (profiles[i]?.id === profiles[i - 1]?.id) throw new SpatiaError('SPATIA_BOARD', `${dir}: two profiles with id "${profiles[i]?.id}"`);
  }
  if (!profiles.some((p) => p.id === GENERIC_BOARD_ID)) {
    throw new SpatiaError('SPATIA_BOARD', `${dir}: no "${GENERIC_BOARD_ID}" profile`);
  }
  return profiles;
}

/** The model string without the device tree's trailing NUL(s) and whitespace. */
export function cleanModel(raw: string): string {
  return raw.replace(/\0+$/u, '').replace(/\0/gu, ' ').trim();
}

/**
 * The profile whose pattern matches the board model (as read from /proc/device-tree/model,
 * trailing NUL allowed), or undefined for an unknown model. The longest matching pattern wins,
 * so a more specific pattern beats a shorter one that happens to be its prefix.
 */
export function detectBoard(modelText: string | undefined, profiles: readonly BoardProfile[]): BoardProfile | undefined {
  if (modelText === undefined) return undefined;
  const model = cleanModel(modelText).toLowerCase();
  if (model === '') return undefined;
  let best: { profile: BoardProfile; length: number } | undefined;
  for (const profile of profiles) {
    for (const pattern of profile.modelPatterns) {
      if (model.includes(pattern.toLowerCase()) && pattern.length > (best?.length ?? 0)) best = { profile, length: pattern.length };
    }
  }
  return best?.profile;
}

/**
 * The board model of the machine, from `<root>/proc/device-tree/model` (NUL-terminated there),
 * or undefined where there is no device tree (x86 laptops, CI) or it cannot be read.
 */
export async function readBoardModel(root = '/'): Promise<string | undefined> {
  try {
    const model = cleanModel(await readFile(join(root, 'proc', 'device-tree', 'model'), 'latin1'));
    return model === '' ? undefined : model;
  } catch {
    return undefined;
  }
}

/** Which profile applies, and why. */
export interface BoardChoice {
  readonly profile: BoardProfile;
  /** `configured` (runtime.board), `detected` (from the model) or `fallback` (generic). */
  readonly source: 'configured' | 'detected' | 'fallback';
  /** The machine's model string, when it has one. */
  readonly model: string | undefined;
  /** The profile the model matches, whatever was configured (to spot a wrong runtime.board). */
  readonly detected: BoardProfile | undefined;
}

/**
 * Chooses the board profile: `runtime.board` when given (an unknown id throws SPATIA_BOARD
 * listing the known ids), else the one detected from the model, else `generic`.
 */
export function boardFor(configured: string | undefined, model: string | undefined, profiles: readonly BoardProfile[]): BoardChoice {
  const detected = detectBoard(model, profiles);
  if (configured !== undefined) {
    const profile = profiles.find((p) => p.id === configured);
    if (profile === undefined) {
      const known = profiles.map((p) => p.id).join(', ');
      throw new SpatiaError('SPATIA_BOARD', `runtime.board "${configured}" is not a known board (known: ${known})`);
    }
    return { profile, source: 'configured', model, detected };
  }
  if (detected !== undefined) return { profile: detected, source: 'detected', model, detected };
  const generic = profiles.find((p) => p.id === GENERIC_BOARD_ID);
  if (generic === undefined) throw new SpatiaError('SPATIA_BOARD', `no "${GENERIC_BOARD_ID}" board profile`);
  return { profile: generic, source: 'fallback', model, detected };
}

/**
 * The one-call form for the runtime: loads the profiles, reads the model under `root` and
 * chooses. Throws SPATIA_BOARD for an unknown `runtime.board`.
 */
export async function resolveBoard(configured: string | undefined, root = '/', dir?: string): Promise<BoardChoice> {
  const profiles = loadBoardProfiles(dir);
  return boardFor(configured, await readBoardModel(root), profiles);
}
