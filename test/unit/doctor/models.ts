import { expect } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';
import type { DeploymentModel } from '../../../src/config/model.js';
import { loadBoardProfiles } from '../../../src/platform/board-profiles.js';

export const PROFILES = loadBoardProfiles();

/** A valid deployment from YAML, as if read from /home/pi/site.yaml. */
export function model(yaml: string): DeploymentModel {
  const r = loadConfigText(`version: 1\n${yaml}`, '/home/pi/site.yaml');
  expect(r.issues.sorted().map(formatIssue)).toEqual([]);
  if (r.model === undefined) throw new Error('no model');
  return r.model;
}
