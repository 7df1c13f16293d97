import type { JsonValue } from '../config/model.js';
import type { Expr } from '../expr/ast.js';
import { compileAst } from '../expr/compile.js';
import type { Compiled, Scope } from '../expr/compiled.js';
import { exprText } from '../expr/expr-text.js';
import { SPATIAL_FUNCTIONS, ZONE_AGGREGATE_FUNCTIONS } from '../expr/functions.js';

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
 * "Why did it fire" (issue 5): the values of what a condition reads, as of its edge's tick. The
 * readers are compiled once (stateless reads of slots and of the spatial state); the closure
 * allocates only when called, which the engine does at edges.
 */
export function edgeInputs(ast: Expr, scope: Scope): () => Record<string, JsonValue> {
  const readers: Array<readonly [string, Compiled]> = [];
  for (const [name, e] of inputsOf(ast)) {
    try {
      readers.push([name, compileAst(e, scope)]);
    } catch {
      // Reported where the condition itself was compiled.
    }
  }
  return () => {
    const inputs: Record<string, JsonValue> = {};
    for (const [name, c] of readers) inputs[name] = jsonOf(c);
    return inputs;
  };
}
