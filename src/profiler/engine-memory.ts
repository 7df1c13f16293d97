import { SeriesBuffer } from '../conditions/series-buffer.js';

/** Typed-array memory held by the engine's state. */
export interface EngineBuffers {
  /** Bytes of every typed array reachable from the engine (slots, operator state, windows). */
  readonly bytes: number;
  /** The circular buffers of windowed series (SPEC §4.3) among them: how many, and their bytes. */
  readonly seriesBuffers: number;
  readonly seriesBufferBytes: number;
}

/**
 * Sums the typed-array memory reachable from `root` (the Engine) by walking its objects and
 * arrays, each ArrayBuffer counted once. The walk is structural because operators keep their
 * buffers private; it runs once, after the run, and skips functions (compiled expressions), so
 * state captured only in closures is not counted.
 */
export function engineBuffers(root: object): EngineBuffers {
  const seen = new Set<object>();
  const buffers = new Set<ArrayBufferLike>();
  let series = 0;
  let seriesBytes = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      buffers.add(v.buffer);
      continue;
    }
    if (v instanceof SeriesBuffer) {
      series++;
      seriesBytes += v.values.byteLength + v.recent.byteLength;
    }
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v instanceof Map) for (const item of v.values()) stack.push(item);
    else for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
  }
  let bytes = 0;
  for (const b of buffers) bytes += b.byteLength;
  return { bytes, seriesBuffers: series, seriesBufferBytes: seriesBytes };
}
