import type { ActionModel, DeploymentModel, ExprSource, PatternModel, SourcePos } from '../config/model.js';
import type { Expr } from '../expr/ast.js';
import { parseExpr } from '../expr/parser.js';
import { NO_UNIT } from '../expr/units.js';
import { referencedIds } from './graph-order.js';
import { jsonStrings, templateExprs } from './templates.js';

/** A pattern or condition as parsed, with the ids it reads (for ordering and waking). */
export interface NodeSource {
  readonly id: string;
  readonly kind: 'pattern' | 'condition';
  readonly pos: SourcePos;
  readonly expr: ExprSource | undefined;
  readonly ast: Expr | undefined;
  readonly deps: readonly string[];
  readonly pattern: PatternModel | undefined;
}

/**
 * Parses every pattern and condition and lists what each reads: expression references, template
 * placeholders of its actions, the sensors of a zone aggregate, the inputs of queue and occupancy
 * patterns. `for:` becomes held(when, for) here.
 */
export function collectSources(
  model: DeploymentModel,
  report: (src: ExprSource, err: unknown) => void,
  zonesOf: ReadonlyMap<string, readonly string[]>,
): NodeSource[] {
  const parse = (src: ExprSource | undefined): Expr | undefined => {
    if (src === undefined) return undefined;
    try {
      return parseExpr(src.text);
    } catch (err) {
      report(src, err);
      return undefined;
    }
  };
  const templateDeps = (actions: readonly ActionModel[]): string[] => {
    const texts = actions.flatMap((a) =>
      a.kind === 'log' ? [a.message] : a.kind === 'mqtt' ? jsonStrings(a.payload, [a.topic]) : a.kind === 'http' ? jsonStrings(a.body) : [],
    );
    const ids = new Set<string>();
    for (const t of texts) for (const e of templateExprs(t)) {
      try {
        referencedIds(parseExpr(e), ids);
      } catch {
        // reported when the template is compiled
      }
    }
    return [...ids];
  };
  const out: NodeSource[] = [];
  for (const p of model.patterns) {
    const ast = parse(p.expr);
    // A zone aggregate reads the sensors located in its zone; queue and occupancy patterns read
    // the ids of their expression keys.
    const members =
      p.kind === 'zone_aggregate'
        ? model.sensors.filter((s) => s.quantity === p.params['quantity'] && (zonesOf.get(s.id) ?? []).includes(String(p.params['zone']))).map((s) => s.id)
        : ['arrivals', 'departures', 'input'].flatMap((k) => {
            const text = p.params[k];
            if (typeof text !== 'string') return [];
            try {
              return [...referencedIds(parseExpr(text))];
            } catch {
              return [];
            }
          });
    out.push({ id: p.id, kind: 'pattern', pos: p.pos, expr: p.expr, ast, deps: ast ? [...referencedIds(ast)] : members, pattern: p });
  }
  for (const c of model.conditions) {
    const ast = parse(c.when);
    const deps = new Set(ast ? referencedIds(ast) : []);
    for (const d of templateDeps([...c.actions, ...c.onFalling])) deps.add(d);
    const held: Expr | undefined =
      ast && c.forUs !== undefined
        ? { type: 'call', name: 'held', at: 0, args: [ast, { type: 'num', value: c.forUs / 1e6, unit: NO_UNIT, at: 0 }] }
        : ast;
    out.push({ id: c.id, kind: 'condition', pos: c.pos, expr: c.when, ast: held, deps: [...deps], pattern: undefined });
  }
  return out;
}

