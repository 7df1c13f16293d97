import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';
import { buildEngine } from '../../../src/core/build-graph.js';
import { parseExpr } from '../../../src/expr/parser.js';

describe('pattern field calls: f.percent_in(zone), f.hotspots(k)', () => {
  it('are the dotted fields', () => {
    expect(parseExpr('floor.percent_in(left) > 50')).toMatchObject({ left: { type: 'ref', name: 'floor.percent_in.left', at: 0 } });
    expect(parseExpr('floor.hotspots(2)')).toEqual({ type: 'ref', name: 'floor.hotspots.2', at: 0 });
  });

  it('take a zone id or a whole number of cells', () => {
    expect(() => parseExpr('floor.percent_in(1)')).toThrow('floor.percent_in() takes one zone id');
    expect(() => parseExpr('floor.percent_in(a, b)')).toThrow('floor.percent_in() takes one zone id');
    expect(() => parseExpr('floor.hotspots(0)')).toThrow('floor.hotspots() takes a whole number of cells, such as floor.hotspots(3)');
    expect(() => parseExpr('floor.hotspots(1.5)')).toThrow('whole number');
    expect(() => parseExpr('floor.hotspots(2 m)')).toThrow('whole number');
  });

  it('name the fields a pattern has when the zone or k does not exist', () => {
    const yaml = [
      'version: 1',
      'zones: [{id: left, rect: [[0, 0], [2, 2]]}]',
      'sensors: [{id: mat, kind: mock, type: json, signal: {constant: [[0]]}}]',
      'patterns: [{id: floor, kind: occupancy_field, input: mat, hotspots: 2}]',
      'conditions:',
      '  - {id: a, when: floor.percent_in(kitchen) > 50}',
      '  - {id: b, when: floor.percent > 1, actions: [{log: "{floor.hotspots(3)}"}]}',
    ];
    const { model } = loadConfigText(yaml.join('\n') + '\n', 'd.yaml');
    if (model === undefined) throw new Error('the YAML itself is valid');
    expect(buildEngine(model).issues.sorted().map(formatIssue)).toEqual([
      'd.yaml:6:19 conditions[0].when: floor has no field "percent_in.kitchen"; it has percent, occupied_cells, percent_in.left, hotspots, hotspots.1, hotspots.2 [SPATIA_CONFIG_REFERENCE]',
      'd.yaml:7:48 conditions[1].actions[0]: in a template: floor has no field "hotspots.3"; it has percent, occupied_cells, percent_in.left, hotspots, hotspots.1, hotspots.2 [SPATIA_CONFIG_REFERENCE]',
    ]);
  });
});
