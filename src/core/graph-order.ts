import type { Expr } from '../expr/ast.js';
import { referencesOf } from '../expr/references.js';

/** The ids an expression refers to (first segment of dotted names; arguments of stale/age too). */
export function referencedIds(e: Expr, out: Set<string> = new Set()): Set<string> {
  for (const r of referencesOf(e)) out.add(r.id);
  return out;
}

/**
 * Orders nodes so that each comes after every node it reads (depth-first, declaration order
 * breaking ties, so the order is stable). Returns the order, or the first cycle found as the
 * list of ids along it (`a, b, a`).
 */
export function topologicalOrder(
  ids: readonly string[],
  depsOf: (id: string) => readonly string[],
): { order: string[] } | { cycle: string[] } {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  const known = new Set(ids);
  const visit = (id: string): string[] | undefined => {
    const s = state.get(id);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const d of depsOf(id)) {
      if (!known.has(d)) continue;
      const cycle = visit(d);
      if (cycle !== undefined) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    order.push(id);
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle !== undefined) return { cycle };
  }
  return { order };
}
