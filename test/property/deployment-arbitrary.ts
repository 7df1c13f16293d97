/**
 * A fast-check generator of random, valid spatia deployments (YAML text) for property tests:
 * 1..5 mock sensors (steps, square, sine, random_walk, constant; sample_every, stale_after,
 * faults, filters), 0..2 expr / filter patterns and 1..6 conditions whose `when` is a random
 * expression tree of depth <= 3 over comparisons, window aggregates and temporal operators.
 *
 * Expressions are generated in an abstract form whose references are indices ("pick"), resolved
 * when rendering against what exists (numeric / boolean sensors, earlier patterns, earlier
 * conditions), so every generated tree renders to a valid, acyclic deployment and shrinks well.
 */
import fc from 'fast-check';

type Cmp = '<' | '<=' | '>' | '>=' | '==' | '!=';
type WinFn = 'avg' | 'min' | 'max' | 'sum' | 'delta' | 'rate';

/** Numeric expressions. `pick` selects among what exists when rendering (see `Ctx`). */
type NumExpr =
  | { readonly t: 'sensor'; readonly pick: number }
  | { readonly t: 'pattern'; readonly pick: number }
  | { readonly t: 'win'; readonly fn: WinFn; readonly x: NumExpr; readonly ms: number }
  | { readonly t: 'count'; readonly c: BoolExpr; readonly ms: number }
  | { readonly t: 'arith'; readonly op: '+' | '-' | '*'; readonly a: NumExpr; readonly b: NumExpr };

/** Boolean expressions. */
type BoolExpr =
  | { readonly t: 'cmp'; readonly x: NumExpr; readonly op: Cmp; readonly lit: number }
  | { readonly t: 'bsensor'; readonly pick: number }
  | { readonly t: 'cond'; readonly pick: number }
  | { readonly t: 'stale'; readonly pick: number }
  | { readonly t: 'known'; readonly x: NumExpr | BoolExpr }
  | { readonly t: 'age'; readonly pick: number; readonly lit: number }
  | { readonly t: 'and' | 'or'; readonly a: BoolExpr; readonly b: BoolExpr }
  | { readonly t: 'not'; readonly a: BoolExpr }
  | { readonly t: 'held' | 'within'; readonly a: BoolExpr; readonly ms: number }
  | { readonly t: 'rose' | 'fell'; readonly a: BoolExpr }
  | { readonly t: 'changed'; readonly x: NumExpr | BoolExpr }
  | { readonly t: 'seq'; readonly steps: readonly BoolExpr[]; readonly ms: number }
  | { readonly t: 'hyst'; readonly x: NumExpr; readonly lo: number; readonly hi: number }
  /**
   * Two windows over one series (one shared buffer, sized by the longer window) compared, or a
   * window compared with its own series (`raw`): exact comparisons that see rounding.
   */
  | { readonly t: 'win2'; readonly x: NumExpr; readonly f1: WinFn; readonly ms1: number; readonly op: Cmp; readonly f2: WinFn | 'raw'; readonly ms2: number };

type Signal =
  | { readonly k: 'steps'; readonly rows: ReadonlyArray<readonly [number, number | boolean]> }
  | { readonly k: 'square'; readonly low: number; readonly high: number; readonly periodMs: number; readonly duty: number }
  | { readonly k: 'sine'; readonly mean: number; readonly amplitude: number; readonly periodMs: number; readonly phaseMs: number }
  | { readonly k: 'random_walk'; readonly start: number; readonly step: number; readonly min: number; readonly max: number }
  | { readonly k: 'constant'; readonly value: number | boolean };

interface Fault {
  readonly atMs: number;
  readonly forMs: number;
  readonly mode: 'timeout' | 'error' | 'nan';
}

interface Sensor {
  readonly bool: boolean;
  readonly signal: Signal;
  readonly sampleEveryMs: number | undefined;
  readonly staleAfterMs: number | undefined;
  readonly faults: readonly Fault[];
  /** Rendered filter items, numeric sensors only. */
  readonly filters: readonly string[];
}

type Pattern =
  | { readonly kind: 'expr'; readonly value: NumExpr }
  /** An expr pattern with a true/false value, read by conditions like a boolean sensor. */
  | { readonly kind: 'bool'; readonly value: BoolExpr }
  | { readonly kind: 'filter'; readonly input: NumExpr; readonly filters: readonly string[] };

interface Condition {
  readonly when: BoolExpr;
  readonly forMs: number | undefined;
  /** Template sensor pick for a log action on rising edges; undefined: no action. */
  readonly logPick: number | undefined;
  readonly fallingLog: boolean;
}

export interface Deployment {
  readonly rate: string;
  readonly initial: 'fire' | 'skip';
  readonly sensors: readonly Sensor[];
  readonly patterns: readonly Pattern[];
  readonly conditions: readonly Condition[];
  readonly durationS: number;
  readonly seed: number;
}

const FILTERS = [
  '{moving_average: 1s}',
  '{median: 3}',
  '{clamp: [2, 8]}',
  '{delta: 0.5}',
  '{throttle: 1s}',
  '{exponential_moving_average: 0.5}',
  '{timeout: 2s}',
] as const;

/**
 * A value 0..10: in steps of 0.5 (so `==` and thresholds hit exact values) or of 0.1 (not exact
 * in binary, so sums and averages round: 0.1 * 3 / 3 !== 0.1).
 */
const small = fc.oneof(fc.integer({ min: 0, max: 20 }).map((n) => n / 2), fc.integer({ min: 0, max: 100 }).map((n) => n / 10));
/** Window and temporal durations: 300 ms .. 10 s, on a 100 ms grid, sometimes off it. */
const windowMs = fc.oneof(
  fc.integer({ min: 3, max: 100 }).map((n) => n * 100),
  fc.integer({ min: 300, max: 10_000 }),
);

function filterList(max: number): fc.Arbitrary<string[]> {
  return fc.array(fc.constantFrom(...FILTERS), { minLength: 0, maxLength: max });
}

const numericSignal: fc.Arbitrary<Signal> = fc.oneof(
  fc
    .uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 8 })
    .chain((ts) => fc.tuple(fc.constant([...ts].sort((a, b) => a - b)), fc.array(small, { minLength: ts.length, maxLength: ts.length })))
    .map(([ts, vs]): Signal => ({ k: 'steps', rows: ts.map((t, i) => [t * 100, vs[i] ?? 0] as const) })),
  fc
    .record({
      binary: fc.boolean(),
      low: small,
      high: small,
      periodMs: fc.integer({ min: 10, max: 100 }).map((n) => n * 100),
      duty: fc.integer({ min: 1, max: 9 }).map((n) => n / 10),
    })
    .map(({ binary, low, high, periodMs, duty }): Signal => ({
      k: 'square',
      low: binary ? 0 : low,
      high: binary ? 1 : high,
      periodMs,
      duty,
    })),
  fc
    .record({
      mean: small,
      amplitude: fc.integer({ min: 0, max: 10 }).map((n) => n / 2),
      periodMs: fc.integer({ min: 10, max: 200 }).map((n) => n * 100),
      phaseMs: fc.integer({ min: 0, max: 50 }).map((n) => n * 100),
    })
    .map((r): Signal => ({ k: 'sine', ...r })),
  fc
    .record({ min: fc.integer({ min: 0, max: 5 }), span: fc.integer({ min: 1, max: 10 }), at: fc.double({ min: 0, max: 1, noNaN: true }), step: fc.integer({ min: 1, max: 20 }) })
    .map(({ min, span, at, step }): Signal => ({
      k: 'random_walk',
      start: Math.round((min + span * at) * 10) / 10,
      step: step / 10,
      min,
      max: min + span,
    })),
  small.map((value): Signal => ({ k: 'constant', value })),
);

const boolSignal: fc.Arbitrary<Signal> = fc.oneof(
  fc
    .uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 8 })
    .chain((ts) => fc.tuple(fc.constant([...ts].sort((a, b) => a - b)), fc.array(fc.boolean(), { minLength: ts.length, maxLength: ts.length })))
    .map(([ts, vs]): Signal => ({ k: 'steps', rows: ts.map((t, i) => [t * 100 + (i % 3 === 2 ? 37 : 0), vs[i] ?? false] as const) })),
  fc.boolean().map((value): Signal => ({ k: 'constant', value })),
);

const fault: fc.Arbitrary<Fault> = fc.record({
  atMs: fc.integer({ min: 0, max: 250 }).map((n) => n * 100),
  forMs: fc.integer({ min: 1, max: 50 }).map((n) => n * 100),
  mode: fc.constantFrom('timeout' as const, 'error' as const, 'nan' as const),
});

const sensor: fc.Arbitrary<Sensor> = fc.boolean().chain((bool) =>
  fc.record({
    bool: fc.constant(bool),
    signal: bool ? boolSignal : numericSignal,
    sampleEveryMs: fc.option(fc.integer({ min: 100, max: 3000 }), { nil: undefined }),
    staleAfterMs: fc.option(fc.integer({ min: 200, max: 5000 }), { nil: undefined }),
    faults: fc.array(fault, { maxLength: 2 }),
    filters: bool ? fc.constant([]) : filterList(2),
  }),
);

/** Arbitraries for expressions of depth <= d, memoised per depth. */
const numByDepth = new Map<number, fc.Arbitrary<NumExpr>>();
const boolByDepth = new Map<number, fc.Arbitrary<BoolExpr>>();
const pick = fc.nat({ max: 15 });
const winFn = fc.constantFrom<WinFn>('avg', 'min', 'max', 'sum', 'delta', 'rate');
const cmpOp = fc.constantFrom<Cmp>('<', '<=', '>', '>=', '>', '<', '==', '!=');

function numLeaf(): fc.Arbitrary<NumExpr> {
  return fc.oneof(
    { arbitrary: pick.map((p): NumExpr => ({ t: 'sensor', pick: p })), weight: 3 },
    { arbitrary: pick.map((p): NumExpr => ({ t: 'pattern', pick: p })), weight: 1 },
  );
}

function boolLeaf(): fc.Arbitrary<BoolExpr> {
  return fc.oneof(
    { arbitrary: fc.record({ x: numLeaf(), op: cmpOp, lit: small }).map((r): BoolExpr => ({ t: 'cmp', ...r })), weight: 4 },
    { arbitrary: pick.map((p): BoolExpr => ({ t: 'bsensor', pick: p })), weight: 3 },
    { arbitrary: pick.map((p): BoolExpr => ({ t: 'cond', pick: p })), weight: 1 },
    { arbitrary: pick.map((p): BoolExpr => ({ t: 'stale', pick: p })), weight: 1 },
    { arbitrary: fc.record({ pick, lit: fc.constantFrom(0.5, 1, 2) }).map((r): BoolExpr => ({ t: 'age', ...r })), weight: 1 },
  );
}

function numExpr(d: number): fc.Arbitrary<NumExpr> {
  const hit = numByDepth.get(d);
  if (hit !== undefined) return hit;
  let arb: fc.Arbitrary<NumExpr>;
  if (d <= 0) arb = numLeaf();
  else {
    const sub = numExpr(d - 1);
    arb = fc.oneof(
      { arbitrary: numLeaf(), weight: 3 },
      {
        arbitrary: fc
          .record({ fn: winFn, x: sub, ms: windowMs })
          .map((r): NumExpr => ({ t: 'win', ...r })),
        weight: 4,
      },
      { arbitrary: fc.record({ c: boolExpr(d - 1), ms: windowMs }).map((r): NumExpr => ({ t: 'count', ...r })), weight: 1 },
      {
        arbitrary: fc.record({ op: fc.constantFrom<'+' | '-' | '*'>('+', '-', '*'), a: sub, b: sub }).map((r): NumExpr => ({ t: 'arith', ...r })),
        weight: 1,
      },
    );
  }
  numByDepth.set(d, arb);
  return arb;
}

function boolExpr(d: number): fc.Arbitrary<BoolExpr> {
  const hit = boolByDepth.get(d);
  if (hit !== undefined) return hit;
  let arb: fc.Arbitrary<BoolExpr>;
  if (d <= 0) arb = boolLeaf();
  else {
    const sub = boolExpr(d - 1);
    const num = numExpr(d - 1);
    arb = fc.oneof(
      { arbitrary: boolLeaf(), weight: 3 },
      { arbitrary: fc.record({ x: num, op: cmpOp, lit: small }).map((r): BoolExpr => ({ t: 'cmp', ...r })), weight: 3 },
      { arbitrary: fc.record({ t: fc.constantFrom('and' as const, 'or' as const), a: sub, b: sub }), weight: 2 },
      { arbitrary: sub.map((a): BoolExpr => ({ t: 'not', a })), weight: 1 },
      { arbitrary: fc.record({ t: fc.constantFrom('held' as const, 'within' as const), a: sub, ms: windowMs }), weight: 3 },
      { arbitrary: fc.record({ t: fc.constantFrom('rose' as const, 'fell' as const), a: sub }), weight: 2 },
      { arbitrary: fc.oneof(num, sub).map((x): BoolExpr => ({ t: 'changed', x })), weight: 1 },
      { arbitrary: fc.oneof(num, sub).map((x): BoolExpr => ({ t: 'known', x })), weight: 1 },
      {
        arbitrary: fc
          .record({ steps: fc.array(sub, { minLength: 2, maxLength: 3 }), ms: windowMs })
          .map((r): BoolExpr => ({ t: 'seq', ...r })),
        weight: 2,
      },
      {
        arbitrary: fc
          .record({ x: num, lo: fc.integer({ min: 0, max: 9 }), gap: fc.integer({ min: 1, max: 5 }) })
          .map(({ x, lo, gap }): BoolExpr => ({ t: 'hyst', x, lo, hi: Math.min(10, lo + gap) })),
        weight: 2,
      },
      {
        arbitrary: fc
          .record({ x: num, f1: winFn, ms1: windowMs, op: cmpOp, f2: fc.oneof(winFn, fc.constant('raw' as const)), ms2: windowMs })
          .map((r): BoolExpr => ({ t: 'win2', ...r })),
        weight: 2,
      },
    );
  }
  boolByDepth.set(d, arb);
  return arb;
}

const pattern: fc.Arbitrary<Pattern> = fc.oneof(
  numExpr(2).map((value): Pattern => ({ kind: 'expr', value })),
  boolExpr(2).map((value): Pattern => ({ kind: 'bool', value })),
  fc
    .record({ input: numExpr(1), filters: fc.array(fc.constantFrom(...FILTERS), { minLength: 1, maxLength: 2 }) })
    .map((r): Pattern => ({ kind: 'filter', ...r })),
);

const condition: fc.Arbitrary<Condition> = fc.record({
  when: boolExpr(3),
  forMs: fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: windowMs, weight: 1 }),
  logPick: fc.option(pick, { nil: undefined }),
  fallingLog: fc.boolean(),
});

export const deployment: fc.Arbitrary<Deployment> = fc.record({
  rate: fc.constantFrom('10 Hz', '5 Hz', '20 Hz', '3 Hz'),
  initial: fc.constantFrom('fire' as const, 'skip' as const),
  sensors: fc.array(sensor, { minLength: 1, maxLength: 5 }),
  patterns: fc.array(pattern, { minLength: 0, maxLength: 2 }),
  conditions: fc.array(condition, { minLength: 1, maxLength: 6 }),
  durationS: fc.integer({ min: 20, max: 40 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
});

/** What an expression may refer to where it is rendered. */
interface Ctx {
  readonly numeric: readonly string[];
  readonly booleans: readonly string[];
  readonly all: readonly string[];
  /** Patterns defined before this point (a pattern sees only earlier ones: no cycles). */
  readonly patterns: ReadonlyArray<{ readonly id: string; readonly perS: number }>;
  /** Conditions defined before this one. */
  readonly conditions: readonly string[];
}

function dur(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function at<T>(list: readonly T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length];
}

/** A rendered numeric expression and its unit as a power of 1/s (rate() adds one). */
interface Rendered {
  readonly text: string;
  readonly perS: number;
}

function renderNum(e: NumExpr, c: Ctx): string {
  return numWithUnit(e, c).text;
}

function numWithUnit(e: NumExpr, c: Ctx): Rendered {
  switch (e.t) {
    case 'sensor': {
      // With no numeric sensor, count a boolean one (every deployment has at least one sensor).
      const s = at(c.numeric, e.pick);
      if (s !== undefined) return { text: s, perS: 0 };
      const p = at(c.patterns, e.pick);
      if (p !== undefined) return { text: p.id, perS: p.perS };
      return { text: `count(${at(c.booleans, e.pick) ?? 's0'}, 2s)`, perS: 0 };
    }
    case 'pattern': {
      const p = at(c.patterns, e.pick);
      return p === undefined ? numWithUnit({ t: 'sensor', pick: e.pick }, c) : { text: p.id, perS: p.perS };
    }
    case 'win': {
      const x = numWithUnit(e.x, c);
      return { text: `${e.fn}(${x.text}, ${dur(e.ms)})`, perS: x.perS + (e.fn === 'rate' ? 1 : 0) };
    }
    case 'count':
      return { text: `count(${renderBool(e.c, c)}, ${dur(e.ms)})`, perS: 0 };
    case 'arith': {
      const a = numWithUnit(e.a, c);
      const b = numWithUnit(e.b, c);
      // Only quantities of one unit add up; a rate and a plain value multiply instead.
      if (e.op === '*' || a.perS !== b.perS) return { text: `(${a.text} * ${b.text})`, perS: a.perS + b.perS };
      return { text: `(${a.text} ${e.op} ${b.text})`, perS: a.perS };
    }
  }
}

function renderBool(e: BoolExpr, c: Ctx): string {
  switch (e.t) {
    case 'cmp':
      return `(${renderNum(e.x, c)} ${e.op} ${e.lit})`;
    case 'bsensor': {
      const b = at(c.booleans, e.pick);
      return b ?? renderBool({ t: 'cmp', x: { t: 'sensor', pick: e.pick }, op: '>', lit: 0.5 }, c);
    }
    case 'cond':
      return at(c.conditions, e.pick) ?? renderBool({ t: 'bsensor', pick: e.pick }, c);
    case 'stale':
      return `stale(${at(c.all, e.pick) ?? 's0'})`;
    case 'age':
      return `(age(${at(c.all, e.pick) ?? 's0'}) > ${e.lit})`;
    case 'known':
      return `known(${isBool(e.x) ? renderBool(e.x, c) : renderNum(e.x, c)})`;
    case 'changed':
      return `changed(${isBool(e.x) ? renderBool(e.x, c) : renderNum(e.x, c)})`;
    case 'and':
    case 'or':
      return `(${renderBool(e.a, c)} ${e.t} ${renderBool(e.b, c)})`;
    case 'not':
      return `(not ${renderBool(e.a, c)})`;
    case 'held':
    case 'within':
      return `${e.t}(${renderBool(e.a, c)}, ${dur(e.ms)})`;
    case 'rose':
    case 'fell':
      return `${e.t}(${renderBool(e.a, c)})`;
    case 'seq':
      return `seq(${e.steps.map((s) => renderBool(s, c)).join(', ')}, ${dur(e.ms)})`;
    case 'hyst':
      return `hysteresis(${renderNum(e.x, c)}, ${e.lo}, ${e.hi})`;
    case 'win2': {
      const w1 = numWithUnit({ t: 'win', fn: e.f1, x: e.x, ms: e.ms1 }, c);
      const w2 = e.f2 === 'raw' ? numWithUnit(e.x, c) : numWithUnit({ t: 'win', fn: e.f2, x: e.x, ms: e.ms2 }, c);
      // Windows of different units (a rate and a value) are each compared with a literal.
      if (w1.perS !== w2.perS) return `((${w1.text} ${e.op} 1) or (${w2.text} ${e.op} 1))`;
      return `(${w1.text} ${e.op} ${w2.text})`;
    }
  }
}

const BOOL_TAGS: ReadonlySet<string> = new Set([
  'cmp', 'bsensor', 'cond', 'stale', 'known', 'age', 'and', 'or', 'not', 'held', 'within', 'rose', 'fell', 'changed', 'seq', 'hyst', 'win2',
]);

function isBool(e: NumExpr | BoolExpr): e is BoolExpr {
  return BOOL_TAGS.has(e.t);
}

function renderSignal(s: Signal): string {
  switch (s.k) {
    case 'steps':
      return `{steps: [${s.rows.map(([t, v]) => `[${dur(t)}, ${String(v)}]`).join(', ')}]}`;
    case 'square':
      return `{square: {low: ${s.low}, high: ${s.high}, period: ${dur(s.periodMs)}, duty: ${s.duty}}}`;
    case 'sine':
      return `{sine: {mean: ${s.mean}, amplitude: ${s.amplitude}, period: ${dur(s.periodMs)}, phase: ${dur(s.phaseMs)}}}`;
    case 'random_walk':
      return `{random_walk: {start: ${s.start}, step: ${s.step}, min: ${s.min}, max: ${s.max}}}`;
    case 'constant':
      return `{constant: ${String(s.value)}}`;
  }
}

/** Renders the deployment as YAML text. */
export function render(d: Deployment): string {
  const ids = d.sensors.map((_, i) => `s${i}`);
  const numeric = ids.filter((_, i) => d.sensors[i]?.bool === false);
  const booleans = ids.filter((_, i) => d.sensors[i]?.bool === true);
  const out: string[] = ['version: 1', `runtime: {tick_rate: ${d.rate}, initial: ${d.initial}}`, 'sensors:'];
  d.sensors.forEach((s, i) => {
    out.push(`  - id: s${i}`, '    kind: mock');
    if (s.bool) out.push('    type: boolean');
    out.push(`    signal: ${renderSignal(s.signal)}`);
    if (s.sampleEveryMs !== undefined) out.push(`    sample_every: ${dur(s.sampleEveryMs)}`);
    if (s.staleAfterMs !== undefined) out.push(`    stale_after: ${dur(s.staleAfterMs)}`);
    if (s.faults.length > 0) {
      out.push(`    faults: [${s.faults.map((f) => `{at: ${dur(f.atMs)}, for: ${dur(f.forMs)}, mode: ${f.mode}}`).join(', ')}]`);
    }
    if (s.filters.length > 0) out.push(`    filters: [${s.filters.join(', ')}]`);
  });
  const patterns: Array<{ id: string; perS: number }> = [];
  const boolPatterns: string[] = [];
  if (d.patterns.length > 0) out.push('patterns:');
  d.patterns.forEach((p, i) => {
    const ctx: Ctx = { numeric, booleans: [...booleans, ...boolPatterns], all: ids, patterns: [...patterns], conditions: [] };
    out.push(`  - id: p${i}`, `    kind: ${p.kind === 'bool' ? 'expr' : p.kind}`);
    if (p.kind === 'bool') {
      out.push(`    value: ${JSON.stringify(renderBool(p.value, ctx))}`);
      boolPatterns.push(`p${i}`);
      return;
    }
    const value = numWithUnit(p.kind === 'expr' ? p.value : p.input, ctx);
    if (p.kind === 'expr') out.push(`    value: ${JSON.stringify(value.text)}`);
    else out.push(`    input: ${JSON.stringify(value.text)}`, `    filters: [${p.filters.join(', ')}]`);
    patterns.push({ id: `p${i}`, perS: value.perS });
  });
  out.push('conditions:');
  d.conditions.forEach((cond, i) => {
    const ctx: Ctx = { numeric, booleans: [...booleans, ...boolPatterns], all: ids, patterns, conditions: d.conditions.slice(0, i).map((_, j) => `c${j}`) };
    out.push(`  - id: c${i}`, `    when: ${JSON.stringify(renderBool(cond.when, ctx))}`);
    if (cond.forMs !== undefined) out.push(`    for: ${dur(cond.forMs)}`);
    if (cond.logPick !== undefined) {
      const s = at(ids, cond.logPick) ?? 's0';
      const p = at(patterns, cond.logPick)?.id;
      const text = p === undefined ? `c${i} up: ${s}={${s}}` : `c${i} up: ${s}={${s}} ${p}={${p}}`;
      out.push('    actions:', `      - log: ${JSON.stringify(text)}`);
      if (cond.fallingLog) out.push('    on_falling:', `      - log: ${JSON.stringify(`c${i} down: {${s}}`)}`);
    }
  });
  return out.join('\n') + '\n';
}
