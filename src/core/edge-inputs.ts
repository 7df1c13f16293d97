import type { JsonValue } from '../config/model.js';
import type { Expr } from '../expr/ast.js';
import { compileAst } from '../expr/compile.js';
import { type Compiled, READY, type Scope } from '../expr/compiled.js';
import { exprText } from '../expr/expr-text.js';
import { SPATIAL_FUNCTIONS, ZONE_AGGREGATE_FUNCTIONS } from '../expr/functions.js';
import type { SpatialContext } from '../spatial/spatial-context.js';
import type { EventRecord } from './event-record.js';

/** Functions whose arguments are ids (zones, entities, quantities), not values: the call is the input. */
const WHOLE_CALLS: ReadonlySet<string> = new Set([...SPATIAL_FUNCTIONS, ...Object.keys(ZONE_AGGREGATE_FUNCTIONS)]);

/**
 * What a condition reads, by name, in order of first appearance: sensors, pattern fields and
 * other conditions by their dotted names, and spatial or zone calls as written
 * (`count_in(hall)`), since their arguments are ids rather than values.
 */
export function inputsOf(e: Expr, out: Map<string, Expr> = new Map()): Map<string, Expr> {
  switch (e.type) {
    case 'ref':
      if (!out.has(e.name)) out.set(e.name, e);
      break;
    case 'unary':
      inputsOf(e.arg, out);
      break;
    case 'binary':
      inputsOf(e.left, out);
      inputsOf(e.right, out);
      break;
    case 'call':
      if (WHOLE_CALLS.has(e.name)) {
        const text = exprText(e);
        if (!out.has(text)) out.set(text, e);
      } else {
        for (const a of e.args) inputsOf(a, out);
      }
      break;
    default:
      break;
  }
  return out;
}

/** A value as it appears in a log record: unknown is null, booleans are true/false. */
export function jsonOf(c: Compiled): JsonValue {
  if (c.kind === 'number' || c.kind === 'boolean') {
    c.run();
    const v = c.out[c.at] ?? NaN;
    if (v !== v) return null;
    return c.kind === 'boolean' ? v === 1 : v;
  }
  const v = c.ref?.();
  return v === undefined ? null : (v as JsonValue);
}

/**
 * What a condition's edge record carries beyond the edge (issue 5): `inputs`, the values of what
 * the condition reads as of the edge's tick, and `entities`, those that crossed the zones of its
 * entered()/exited() calls. The readers are compiled once (stateless reads of slots and of the
 * spatial state); `addTo` allocates only at edges.
 *
 * Data read by one shared method rather than a closure per condition: with thousands of
 * conditions each closure would be called only at its own rare edges, so each would run cold in
 * the interpreter on its own feedback (about 2 µs an edge at 10,000 conditions), while one
 * method gets optimized once for all of them.
 */
export class EdgeDetail {
  private readonly names: string[] = [];
  /**
   * Per input: the array and index a plain number or boolean is read from (most inputs are
   * sensors, patterns and conditions, read in place), or -1 in `at` to go through `readers`.
   * Reading them directly keeps addTo off the Compiled objects, whose many hidden classes make
   * every property read there megamorphic.
   */
  private readonly arrays: Float64Array[] = [];
  private readonly at: number[] = [];
  private readonly boolean: boolean[] = [];
  private readonly readers: Compiled[] = [];

  constructor(
    ast: Expr,
    scope: Scope,
    private readonly spatial: SpatialContext,
    /** (zone, entering) of each entered()/exited() call. */
    private readonly crossings: ReadonlyArray<readonly [number, boolean]>,
  ) {
    for (const [name, e] of inputsOf(ast)) {
      let c: Compiled;
      try {
        c = compileAst(e, scope);
      } catch {
        // Reported where the condition itself was compiled.
        continue;
      }
      const inPlace = c.run === READY && (c.kind === 'number' || c.kind === 'boolean');
      this.names.push(name);
      this.readers.push(c);
      this.arrays.push(c.out);
      this.at.push(inPlace ? c.at : -1);
      this.boolean.push(c.kind === 'boolean');
    }
  }

  /** Adds `inputs` (and `entities` when some crossed) to an edge record, after its own fields. */
  addTo(record: EventRecord): void {
    const inputs: Record<string, JsonValue> = {};
    for (let i = 0; i < this.names.length; i++) {
      const at = this.at[i] as number;
      let value: JsonValue;
      if (at < 0) value = jsonOf(this.readers[i] as Compiled);
      else {
        const v = (this.arrays[i] as Float64Array)[at] as number;
        value = v !== v ? null : this.boolean[i] === true ? v === 1 : v;
      }
      inputs[this.names[i] as string] = value;
    }
    record['inputs'] = inputs;
    if (this.crossings.length === 0) return;
    const ids = new Set<string>();
    for (const [zone, entering] of this.crossings) for (const id of this.spatial.crossed(zone, entering)) ids.add(id);
    if (ids.size > 0) record['entities'] = [...ids].sort();
  }
}
