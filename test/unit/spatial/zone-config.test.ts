import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';
import type { DeploymentModel } from '../../../src/config/model.js';
import { sensorsOutsideZones, sensorZones } from '../../../src/spatial/sensor-membership.js';

function load(...lines: string[]): { model: DeploymentModel | undefined; issues: string[] } {
  const r = loadConfigText(['version: 1', ...lines].join('\n') + '\n', 'site.yaml');
  return { model: r.model, issues: r.issues.sorted().map(formatIssue) };
}

const U = '[[0, 0], [9, 0], [9, 9], [6, 9], [6, 3], [3, 3], [3, 9], [0, 9]]';

describe('zone outlines in the config', () => {
  it('refuses self-intersecting and degenerate polygons, at the polygon, with the reason', () => {
    const { model, issues } = load(
      'zones:',
      '  - {id: bowtie, polygon: [[0, 0], [10, 10], [10, 0], [0, 10]]}',
      '  - id: line',
      '    polygon: [[0, 0], [5, 5], [10, 10]]',
      '  - id: dup',
      '    polygon:',
      '      - [0, 0]',
      '      - [10, 0]',
      '      - [10, 0]',
      '      - [0, 10]',
      '  - {id: closed, polygon: [[0, 0], [10, 0], [10, 10], [0, 0]]}',
      '  - {id: flat, rect: [[0, 0], [0, 5]]}',
      '  - {id: two, polygon: [[0, 0], [1, 1]]}',
      '  - {id: touch, polygon: [[0, 0], [10, 0], [10, 10], [5, 0], [0, 10]]}',
      `  - {id: fine, polygon: ${U}}`,
    );
    expect(model).toBeUndefined();
    expect(issues).toEqual([
      'site.yaml:3:27 zones[0].polygon: the outline crosses itself: edges 1 and 3 cross at (5, 5) [SPATIA_CONFIG_VALUE]',
      'site.yaml:5:14 zones[1].polygon: the outline has no area (its points are on one line) [SPATIA_CONFIG_VALUE]',
      'site.yaml:8:7 zones[2].polygon: points 2 and 3 are the same point (10, 0) [SPATIA_CONFIG_VALUE]',
      'site.yaml:12:27 zones[3].polygon: the last point repeats the first (0, 0); leave it out, the outline closes by itself [SPATIA_CONFIG_VALUE]',
      'site.yaml:13:22 zones[4].rect: the outline has no area (its points are on one line) [SPATIA_CONFIG_VALUE]',
      'site.yaml:14:24 zones[5].polygon: needs at least 3 points, got 2 [SPATIA_CONFIG_VALUE]',
      'site.yaml:15:26 zones[6].polygon: the outline touches itself: edges 1 and 3 touch at (5, 0) [SPATIA_CONFIG_VALUE]',
    ]);
  });

  it('warns at `parent` about a zone that is not inside its parent, and still loads', () => {
    const { model, issues } = load(
      'zones:',
      `  - {id: hall, polygon: ${U}}`,
      '  - {id: desk, rect: [[1, 4], [8, 8]], parent: hall}',
      '  - {id: shelf, rect: [[1, 1], [2, 2]], parent: hall}',
      '  - id: bin',
      '    polygon: [[1, 1], [2, 1], [2, 12]]',
      '    parent: shelf',
      '  - {id: notch, polygon: [[3, 9], [6, 9], [6, 3], [3, 3]], parent: hall}',
    );
    expect(model?.zones.map((z) => z.id)).toEqual(['hall', 'desk', 'shelf', 'bin', 'notch']);
    expect(issues).toEqual([
      'site.yaml:4:48 zones[1].parent: warning: zone "desk" is not inside its parent "hall": edge 1 crosses its outline at (3, 4) [SPATIA_CONFIG_VALUE]',
      'site.yaml:8:13 zones[3].parent: warning: zone "bin" is not inside its parent "shelf": point 3 (2, 12) is outside it [SPATIA_CONFIG_VALUE]',
      'site.yaml:9:68 zones[4].parent: warning: zone "notch" is not inside its parent "hall": edge 1 passes outside it at (4.5, 9) [SPATIA_CONFIG_VALUE]',
    ]);
  });

  it('is quiet about children inside their parents, boundaries shared', () => {
    const { issues } = load(
      'zones:',
      `  - {id: hall, polygon: ${U}}`,
      '  - {id: arm, rect: [[0, 0], [3, 9]], parent: hall}',
      '  - {id: desk, polygon: [[0, 9], [1, 4], [3, 9]], parent: arm}',
    );
    expect(issues).toEqual([]);
  });
});

describe('sensor zone membership', () => {
  const { model } = load(
    'zones:',
    `  - {id: hall, polygon: ${U}}`,
    '  - {id: desk, rect: [[0.5, 4], [2.5, 8]], parent: hall}',
    '  - {id: loft, rect: [[0, 0], [9, 9]], height: [2, 4]}',
    'sensors:',
    '  - {id: arm, kind: mock, signal: {constant: 1}, location: [1.5, 6]}',
    '  - {id: desk_low, kind: mock, signal: {constant: 1}, location: [1, 5, 1]}',
    '  - {id: notch, kind: mock, signal: {constant: 1}, location: [4.5, 6, 3]}',
    '  - {id: edge, kind: mock, signal: {constant: 1}, location: [4.5, 3]}',
    '  - {id: roof, kind: mock, signal: {constant: 1}, location: [1.5, 6, 5]}',
    '  - {id: yard, kind: mock, signal: {constant: 1}, location: [20, 20]}',
    '  - {id: notch_low, kind: mock, signal: {constant: 1}, location: [4.5, 6, 0]}',
    '  - {id: nowhere, kind: mock, signal: {constant: 1}}',
  );
  if (model === undefined) throw new Error('the fixture must load');

  it('lists the zones of every located sensor in declaration order, 2-D and 3-D', () => {
    expect(Object.fromEntries(sensorZones(model))).toEqual({
      arm: ['hall', 'desk', 'loft'],
      desk_low: ['hall', 'desk'],
      notch: ['loft'],
      edge: ['hall', 'loft'],
      roof: ['hall', 'desk'],
      yard: [],
      notch_low: [],
    });
  });

  it('names the located sensors inside no zone, with their positions', () => {
    expect(sensorsOutsideZones(model).map((s) => [s.id, s.pos.line])).toEqual([
      ['yard', 12],
      ['notch_low', 13],
    ]);
    expect(sensorsOutsideZones({ zones: [], sensors: model.sensors })).toEqual([]);
  });
});
