import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConfigError, defineDeployment, formatRecord, loadDeployment, simulate, simulate$ } from '../../src/index.js';
import { simLog } from '../helpers/simulate.js';

const spec = {
  version: 1 as const,
  runtime: { tick_rate: '10 Hz' },
  sensors: [{ id: 'door', kind: 'mock', type: 'boolean', signal: { square: { low: 0, high: 1, period: '90s', duty: 0.25 } } }],
  conditions: [{ id: 'door_left_open', when: 'held(door, 20s)', actions: [{ log: 'front door open for 20 s' }] }],
};

const yaml = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - {id: door, kind: mock, type: boolean, signal: {square: {low: 0, high: 1, period: 90s, duty: 0.25}}}
conditions:
  - {id: door_left_open, when: "held(door, 20s)", actions: [{log: front door open for 20 s}]}
`;

describe('TypeScript API', () => {
  it('an object with the YAML keys builds the same graph: same log as the YAML file', () => {
    const records = simulate(defineDeployment(spec), { durationS: 300 });
    expect(records.map(formatRecord).join('')).toBe(simLog(yaml, { durationS: 300 }));
    expect(records.filter((r) => r.type === 'edge').map((r) => [r.t, r['edge']])).toEqual([
      [20, 'rising'], [22.5, 'falling'], [110, 'rising'], [112.5, 'falling'], [200, 'rising'], [202.5, 'falling'], [290, 'rising'], [292.5, 'falling'],
    ]);
  });

  it('simulate$ emits the same records as an Observable', async () => {
    const site = defineDeployment(spec);
    const viaRx = await lastValueFrom(simulate$(site, { durationS: 300 }).pipe(toArray()));
    expect(viaRx).toEqual(simulate(site, { durationS: 300 }));
  });

  it('invalid deployments throw a ConfigError listing every problem', () => {
    const bad = { ...spec, conditions: [{ id: 'x', when: 'dor > 1' }, { id: 'y', when: 'door', for: '5m' }] };
    try {
      defineDeployment(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const messages = (err as ConfigError).issues.map((i) => i.message);
      expect(messages).toEqual(['unknown id "dor"; did you mean "door"?', expect.stringMatching(/duration/)]);
    }
  });

  it('loadDeployment reads the demo', () => {
    expect(loadDeployment('config/demo.yaml').conditions).toHaveLength(7);
  });
});
