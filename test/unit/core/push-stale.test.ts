import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src/config/load.js';
import { buildEngine } from '../../../src/core/build-graph.js';
import { Frame, ReadStatus } from '../../../src/core/frame.js';

/** Feeds one good reading at tick 0, then nothing, and returns the sensor records. */
function silence(sensor: string, ticks: number) {
  const { model, issues } = loadConfigText(`version: 1\noutputs: {mqtt: {url: "mqtt://127.0.0.1:1"}}\nsensors:\n  - ${sensor}\n`, 'd.yaml');
  if (model === undefined) throw new Error(issues.sorted().map((i) => i.message).join('\n'));
  const { engine } = buildEngine(model);
  if (engine === undefined) throw new Error('no engine');
  const frame = new Frame(1);
  const records = [];
  for (let k = 0; k < ticks; k++) {
    frame.clear();
    if (k === 0) {
      frame.status[0] = ReadStatus.Ok;
      frame.num[0] = 1;
    }
    records.push(...engine.step(frame, k).records);
  }
  return records.map((r) => [r.tick, r['status']]);
}

describe('default stale_after', () => {
  it('a push sensor without sample_every holds its value through silence', () => {
    expect(silence('{id: s, kind: mqtt, topic: a}', 1000)).toEqual([]);
    expect(silence('{id: s, kind: serial, path: /dev/x}', 1000)).toEqual([]);
    expect(silence('{id: s, kind: gpio, pin: 4}', 1000)).toEqual([]);
  });

  it('with sample_every, or polled, it expires after three sample periods', () => {
    expect(silence('{id: s, kind: mqtt, topic: a, sample_every: 1s}', 100)).toEqual([[31, 'unknown']]);
    expect(silence('{id: s, kind: gpio, pin: 4, edge: none}', 100)).toEqual([[4, 'unknown']]);
    expect(silence('{id: s, kind: i2c, bus: 1, device: tmp102}', 100)).toEqual([[4, 'unknown']]);
  });
});
