import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrozenSeries } from '../../../src/conditions/series-buffer.js';
import { loadConfigText } from '../../../src/config/load.js';
import { BlobTable, jsonChunks } from '../../../src/persistence/checkpoint/json-chunks.js';
import { Simulation } from '../../../src/runtime/simulation.js';
import { jsonRoundTrip } from '../../helpers/json-round-trip.js';

const GOLDEN = join(import.meta.dirname, '..', '..', 'golden');
const configs = readdirSync(GOLDEN).filter((f) => f.endsWith('.yaml'));

/** Paths of typed arrays outside series snapshots (the serializer's native subtrees would mangle them). */
function strayTypedArrays(v: unknown, path = '', out: string[] = []): string[] {
  if (v === null || typeof v !== 'object' || v instanceof FrozenSeries) return out;
  if (ArrayBuffer.isView(v)) {
    out.push(path);
    return out;
  }
  for (const [k, x] of Object.entries(v)) strayTypedArrays(x, `${path}.${k}`, out);
  return out;
}

describe('checkpoint serialization of every golden deployment', () => {
  it.each(configs)('%s: no typed array outside series snapshots; the checkpoint form reads back as the plain form', (file) => {
    const { model } = loadConfigText(readFileSync(join(GOLDEN, file), 'utf8'), file);
    if (model === undefined) throw new Error(file);
    const sim = new Simulation(model, { baseDir: GOLDEN });
    sim.runFor(20e6);
    const snapshot = sim.engine.snapshot();
    expect(strayTypedArrays(snapshot)).toEqual([]);
    // The checkpoint form (placeholders + blobs) equals the plain JSON form once the blobs are put back.
    const table = new BlobTable();
    const text = [...jsonChunks(snapshot, 2, undefined, table)].join('');
    const blobs = table.list.map((b) => {
      const bytes = new Uint8Array(new ArrayBuffer(b.byteLength));
      b.copyTo(bytes, 0);
      return Array.from(new Float64Array(bytes.buffer), (x) => (Number.isNaN(x) ? null : x));
    });
    const revived = JSON.parse(text, (_k, x: unknown) => (x !== null && typeof x === 'object' && (x as { $spatia?: unknown }).$spatia === 1 ? blobs[(x as { $blob: number }).$blob] : x)) as unknown;
    expect(revived).toEqual(jsonRoundTrip(sim.engine.snapshot()));
  });
});
