/**
 * `json_path`: where a reading sits inside a JSON payload. A dotted path (`sensors.temp`,
 * `data.0.value`), optionally written JSONPath-style (`$.data[0].value`). Only plain member and
 * index steps: wildcards, recursive descent and filters would make one payload give several
 * readings, which a sensor cannot hold.
 */

/** One step of a path: an object key, and the array index it also stands for (or -1). */
export interface JsonPathStep {
  readonly key: string;
  readonly index: number;
}

/** A parsed path (empty: the whole payload), or why it cannot be used. */
export type JsonPathParse = { readonly steps: readonly JsonPathStep[] } | { readonly error: string };

const INDEX = /^(?:0|[1-9][0-9]{0,8})$/;

function step(key: string): JsonPathStep {
  return { key, index: INDEX.test(key) ? Number(key) : -1 };
}

/** Parses a `json_path`. */
export function parseJsonPath(path: string): JsonPathParse {
  let rest = path.trim();
  if (rest === '$') return { steps: [] };
  if (rest.startsWith('$.') || rest.startsWith('$[')) rest = rest.slice(rest[1] === '.' ? 2 : 1);
  const steps: JsonPathStep[] = [];
  // Each step is `name` (after a dot or at the start) or `[digits]`, with dots between names.
  const re = /\[([0-9]+)\]|([^.[\]]+)|(\.)/gy;
  let expectName = true;
  let pos = 0;
  while (pos < rest.length) {
    re.lastIndex = pos;
    const m = re.exec(rest);
    if (m === null) return { error: `cannot read "${rest.slice(pos)}"; write a dotted path such as data.0.value` };
    pos = re.lastIndex;
    if (m[1] !== undefined) {
      steps.push(step(m[1]));
      expectName = false;
    } else if (m[2] !== undefined) {
      if (!expectName) return { error: `expected "." before "${m[2]}"` };
      if (m[2] === '*') return { error: 'wildcards (*) are not supported: a sensor holds one value' };
      steps.push(step(m[2]));
      expectName = false;
    } else {
      if (expectName) return { error: 'empty step (".." or a leading or trailing ".")' };
      expectName = true;
    }
  }
  if (expectName) return { error: steps.length === 0 ? 'empty path' : 'empty step (".." or a leading or trailing ".")' };
  return { steps };
}

/** The value at `steps` inside `root`, or undefined when the payload has nothing there. */
export function walkJson(root: unknown, steps: readonly JsonPathStep[]): unknown {
  let v = root;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as JsonPathStep;
    if (Array.isArray(v)) {
      if (s.index < 0 || s.index >= v.length) return undefined;
      v = v[s.index];
    } else if (v !== null && typeof v === 'object') {
      // Own keys only: `__proto__` or `constructor` in a path must not reach Object.prototype.
      if (!Object.hasOwn(v, s.key)) return undefined;
      v = (v as Record<string, unknown>)[s.key];
    } else {
      return undefined;
    }
  }
  return v;
}
