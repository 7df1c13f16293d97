import type { JsonValue } from '../config/model.js';
import { ExprError } from '../expr/ast.js';
import { compileExpr } from '../expr/compile.js';
import type { Scope } from '../expr/compiled.js';
import type { CompiledJson, Template } from './graph-node.js';

/**
 * Compiles `"lobby is {lobby_env.avg}"`: each `{...}` is an expression, evaluated when the action
 * runs. `{{` and `}}` stand for literal braces. Offsets in errors are relative to the text.
 */
export function compileTemplate(text: string, scope: Scope): Template {
  const parts: string[] = [];
  const values: Template['values'][number][] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === '{' || c === '}') && text[i + 1] === c) {
      literal += c;
      i += 2;
      continue;
    }
    if (c === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) throw new ExprError(i, 'unclosed "{" in template');
      const inner = text.slice(i + 1, end);
      try {
        const compiled = compileExpr(inner, scope, false);
        values.push({ kind: compiled.kind, run: compiled.run, out: compiled.out, at: compiled.at, ref: compiled.ref });
      } catch (err) {
        if (err instanceof ExprError) throw new ExprError(i + 1 + err.at, err.message, err.kind);
        throw err;
      }
      parts.push(literal);
      literal = '';
      i = end + 1;
      continue;
    }
    literal += c;
    i++;
  }
  parts.push(literal);
  return { parts, values };
}

/** Every string inside a JSON payload becomes a template. */
export function compileJson(value: JsonValue, scope: Scope): CompiledJson {
  if (typeof value === 'string') {
    if (!value.includes('{')) return { kind: 'literal', value: value.replace(/}}/g, '}') };
    return { kind: 'template', template: compileTemplate(value, scope) };
  }
  if (Array.isArray(value)) return { kind: 'array', items: value.map((v) => compileJson(v, scope)) };
  if (value !== null && typeof value === 'object') {
    return { kind: 'object', entries: Object.entries(value).map(([k, v]) => [k, compileJson(v, scope)] as const) };
  }
  return { kind: 'literal', value };
}

/** A template's text with current values. */
export function renderTemplate(t: Template): string {
  let s = t.parts[0] ?? '';
  for (let i = 0; i < t.values.length; i++) s += formatValue(valueOf(t, i)) + (t.parts[i + 1] ?? '');
  return s;
}

/**
 * A payload with current values. A string that is exactly one placeholder (`"{lobby_env.avg}"`)
 * becomes the raw value (a JSON number, boolean or object), which is what consumers want.
 */
export function renderJson(c: CompiledJson): JsonValue {
  switch (c.kind) {
    case 'literal':
      return c.value;
    case 'template': {
      const t = c.template;
      if (t.values.length === 1 && t.parts[0] === '' && t.parts[1] === '') return toJson(valueOf(t, 0));
      return renderTemplate(t);
    }
    case 'array':
      return c.items.map(renderJson);
    case 'object': {
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of c.entries) out[k] = renderJson(v);
      return out;
    }
  }
}

function valueOf(t: Template, i: number): unknown {
  const v = t.values[i];
  if (v === undefined) return undefined;
  if (v.kind === 'boolean') {
    v.run();
    const b = v.out[v.at] ?? NaN;
    return b !== b ? undefined : b === 1;
  }
  if (v.kind === 'number') {
    v.run();
    const n = v.out[v.at] ?? NaN;
    return n !== n ? undefined : n;
  }
  return v.ref?.();
}

function toJson(v: unknown): JsonValue {
  if (v === undefined) return null;
  if (typeof v === 'number') return round(v);
  return v as JsonValue;
}

/** Payload numbers keep 6 decimals (so 0.1 + 0.2 is 0.3); text shows 2, for people. */
function round(n: number, decimals = 6): number {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'unknown';
  if (typeof v === 'number') return String(round(v, 2));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** The ids a template's placeholders refer to (for ordering); unparsable ones are skipped here
 * and reported when the template is compiled. */
export function templateExprs(text: string): string[] {
  const out: string[] = [];
  const re = /\{\{|\}\}|\{([^{}]*)\}/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) if (m[1] !== undefined) out.push(m[1]);
  return out;
}

/** Every string of a JSON payload, for collecting template references. */
export function jsonStrings(value: JsonValue, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) jsonStrings(v, out);
  return out;
}
