import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src/config/load.js';
import type { EventRecord } from '../../../src/core/event-record.js';
import { Explainer, withExplainParts } from '../../../src/runtime/explain.js';
import { Simulation } from '../../../src/runtime/simulation.js';

const YAML = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - {id: temp, kind: mock, unit: degC, signal: {steps: [[0, 20], [1s, 30], [2.5s, 20]]}}
  - {id: door, kind: mock, type: boolean, signal: {steps: [[0, false], [0.5s, true]]}}
conditions:
  - {id: hot, when: temp > 25 degC and door, for: 0.5s}
  - {id: other, when: temp > 100 degC}
`;

function run(window: number): { text: string; log: EventRecord[]; plain: EventRecord[] } {
  const loaded = loadConfigText(YAML, 'x.yaml').model;
  if (loaded === undefined) throw new Error('bad yaml');
  const { model, parts } = withExplainParts(loaded, 'hot');
  let text = '';
  const explainer = new Explainer('hot', parts, (t) => (text += t), window);
  const sim = new Simulation(model);
  const log: EventRecord[] = [];
  for (let k = 0; k < 40; k++) {
    const before = log.length;
    sim.tick(log);
    explainer.observe(sim.engine, k, k * 100_000, log.slice(before));
  }
  explainer.finish();
  return { text, log, plain: new Simulation(loaded).runFor(4_000_000) };
}

describe('--explain', () => {
  it('shows every part of the condition, tick by tick around each edge', () => {
    const { text } = run(2);
    expect(text.split('\n').slice(0, 7)).toEqual([
      'explain hot: rising at t=1.5 (tick 15)',
      '  tick |   t | hot   | held(temp > 25 degC and door, 0.5 s) | temp > 25 degC and door | temp > 25 degC | temp | door',
      '    13 | 1.3 | false | false                                | true                    | true           | 30   | true',
      '    14 | 1.4 | false | false                                | true                    | true           | 30   | true',
      '    15 | 1.5 | true  | true                                 | true                    | true           | 30   | true',
      '    16 | 1.6 | true  | true                                 | true                    | true           | 30   | true',
      '    17 | 1.7 | true  | true                                 | true                    | true           | 30   | true',
    ]);
    expect(text).toContain('explain hot: falling at t=2.5 (tick 25)');
  });

  it('leaves the event log as it is', () => {
    const { log, plain } = run(5);
    expect(log).toEqual(plain);
  });

  it('names the conditions when the id is not one', () => {
    const m = loadConfigText(YAML, 'x.yaml').model;
    if (m === undefined) throw new Error('bad yaml');
    expect(() => withExplainParts(m, 'temp')).toThrow('--explain: "temp" is not a condition (conditions: hot, other)');
  });
});
