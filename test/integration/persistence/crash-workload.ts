import { Frame, ReadStatus } from '../../../src/core/frame.js';

/**
 * The crash test's input, a pure function of the tick, so that whatever a killed child managed to
 * journal can be checked value by value: slow-changing numbers ("same value" entries), float64s,
 * booleans, JSON objects, timeouts with repeating error text, sensors not read, and ticks where
 * nothing is read at all.
 */
export const CRASH_SENSORS = Array.from({ length: 16 }, (_, i) => `s${i}`);

export function crashFrame(tick: number, frame: Frame): Frame {
  frame.clear();
  if (tick % 11 === 5) return frame;
  for (let i = 0; i < frame.size; i++) {
    const h = mix(tick * 131 + i);
    if (h % 10 < 3) continue;
    frame.obj[i] = undefined;
    frame.error[i] = undefined;
    if (h % 10 === 3) {
      frame.status[i] = ReadStatus.Timeout;
      frame.error[i] = 'read timed out';
      continue;
    }
    frame.status[i] = ReadStatus.Ok;
    const kind = i % 4;
    if (kind === 0) frame.num[i] = Math.floor(tick / 50);
    else if (kind === 1) frame.num[i] = h / 7;
    else if (kind === 2) frame.obj[i] = { block: Math.floor(tick / 100), label: 'ü' };
    else frame.num[i] = h % 2;
  }
  return frame;
}

/** A checkpoint's parts at `tick`: big enough (about 1 MB of JSON) to take a while to write. */
export function crashParts(tick: number): Record<string, unknown> {
  return { engine: { tick, values: Array.from({ length: 120_000 }, (_, i) => (tick * 31 + i) % 1000) } };
}

function mix(x: number): number {
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
