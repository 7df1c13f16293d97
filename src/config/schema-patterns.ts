import { refTo } from './ids.js';
import type { LoadContext } from './load-context.js';
import type { PatternModel } from './model.js';
import { checkExpression } from './expr-check.js';
import { expr, id, json, listOf, oneOf, unit } from './readers.js';
import { opt, readObject, req, type Reader, type Shape } from './schema.js';
import { filters } from './schema-filters.js';
import { type At, type Entry, posOf, report, scalarValue, valueAt } from './yaml-source.js';

/** Pattern kinds: `expr` and `filter` are read here; the others keep their keys as `params`. */
export const PATTERN_KINDS = ['expr', 'filter', 'zone_aggregate', 'occupancy_field', 'queue_flow'] as const;

/** The keys every pattern has. */
export const PATTERN_SHAPE = {
  id: req(id, 'The pattern id; expressions read its value (or its fields: `lobby_env.avg`).'),
  kind: req(oneOf(PATTERN_KINDS), 'expr | filter | zone_aggregate | occupancy_field | queue_flow.'),
  mode: opt(oneOf(['poll', 'event', 'auto'] as const), 'Evaluation mode. Default: runtime.mode.'),
  unit: opt(unit, 'Unit of a numeric result.'),
} satisfies Shape;

/** `kind: expr` — a value computed from an expression. */
export const EXPR_PATTERN_SHAPE = {
  value: req(expr, 'The expression giving the value.'),
} satisfies Shape;

/** `kind: filter` — an expression passed through sensor filters. */
export const FILTER_PATTERN_SHAPE = {
  input: req(expr, 'The expression to filter.'),
  filters: req(filters, 'Filters applied in order, as on a sensor.'),
} satisfies Shape;

/** Reads one item of `patterns:`. */
export function readPattern(ctx: LoadContext): Reader<PatternModel> {
  const zoneRef = refTo(ctx.ids, 'zones');
  return (at) => {
    const kindAt = valueAt(at, 'kind');
    const kind = PATTERN_KINDS.find((k) => kindAt !== undefined && k === scalarValue(kindAt));
    const own = kind === 'expr' ? EXPR_PATTERN_SHAPE : kind === 'filter' ? FILTER_PATTERN_SHAPE : undefined;
    const rest: Entry[] = [];
    const common = readObject(at, PATTERN_SHAPE, {
      also: own === undefined ? [] : Object.keys(own),
      // Kinds other than expr and filter are built by their own modules: their keys pass through.
      other: (e) => own === undefined && (rest.push(e), true),
    });
    const pos = posOf(at);
    if (kind === 'expr') {
      const v = readObject(at, EXPR_PATTERN_SHAPE, { other: () => true, context: 'for an expr pattern' });
      if (v !== undefined && !checkExpression(at, v.value, ctx.ids)) return undefined;
      return common && v && { ...base(common), expr: v.value, filters: [], params: {}, pos };
    }
    if (kind === 'filter') {
      const v = readObject(at, FILTER_PATTERN_SHAPE, { other: () => true, context: 'for a filter pattern' });
      if (v !== undefined && v.filters.length === 0) return noFilters(valueAt(at, 'filters') ?? at);
      if (v !== undefined && !checkExpression(at, v.input, ctx.ids)) return undefined;
      return common && v && { ...base(common), expr: v.input, filters: v.filters, params: {}, pos };
    }
    const params: Record<string, unknown> = {};
    let ok = true;
    for (const e of rest) {
      const value = e.key === 'zone' ? zoneRef(e.value) : json(e.value);
      if (value === undefined) ok = false;
      else params[e.key] = value;
    }
    return common && ok ? { ...base(common), expr: undefined, filters: [], params, pos } : undefined;
  };
}

function base(v: { id: string; kind: string; mode: PatternModel['mode']; unit: string | undefined }) {
  return { id: v.id, kind: v.kind, mode: v.mode, unit: v.unit === '' ? undefined : v.unit };
}

function noFilters(at: At): undefined {
  report(at, 'SPATIA_CONFIG_VALUE', 'a filter pattern needs at least one filter');
  return undefined;
}

/** `patterns:` — a list of patterns. */
export function readPatterns(ctx: LoadContext): Reader<PatternModel[]> {
  return listOf(readPattern(ctx), { what: 'a list of patterns' });
}
