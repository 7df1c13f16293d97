import type { Expr } from './ast.js';

const QUANTITY_FUNCTIONS = new Set(['avg_in', 'min_in', 'max_in']);

/** Every identifier an expression refers to: the id (first segment of a dotted name) and where. */
export function referencesOf(e: Expr, out: Array<{ id: string; at: number }> = []): Array<{ id: string; at: number }> {
  switch (e.type) {
    case 'ref':
      out.push({ id: e.name.split('.')[0] ?? e.name, at: e.at });
      break;
    case 'unary':
      referencesOf(e.arg, out);
      break;
    case 'binary':
      referencesOf(e.left, out);
      referencesOf(e.right, out);
      break;
    case 'call':
      // avg_in(zone, temperature): the quantity is a name, not an id.
      e.args.forEach((a, i) => {
        if (!(i === 1 && a.type === 'ref' && QUANTITY_FUNCTIONS.has(e.name))) referencesOf(a, out);
      });
      break;
    default:
      break;
  }
  return out;
}
