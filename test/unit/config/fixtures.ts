import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigFile } from '../../../src/config/load.js';
import type { DeploymentModel } from '../../../src/config/model.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Loads a fixture that must be valid (failing the test with its issues otherwise). */
export function loadFixture(name: string): DeploymentModel {
  const r = loadConfigFile(join(FIXTURES, name));
  expect(r.issues.sorted().map(formatIssue)).toEqual([]);
  if (r.model === undefined) throw new Error('no model');
  return r.model;
}
