import type { DeploymentModel, PatternModel } from '../config/model.js';
import type { Engine } from '../core/engine.js';
import type { EventRecord } from '../core/event-record.js';
import type { Expr } from '../expr/ast.js';
import { exprText } from '../expr/expr-text.js';
import { parseExpr } from '../expr/parser.js';

/** Columns shown at most: the condition, then its parts from the outside in. */
const MAX_PARTS = 10;
const PREFIX = '__explain_';

/** The parts of an expression worth a column: every sub-expression that is not a literal. */
function partsOf(e: Expr, out: Expr[]): void {
  if (e.type === 'num' || e.type === 'str' || e.type === 'bool') return;
  out.push(e);
  if (e.type === 'unary') partsOf(e.arg, out);
  else if (e.type === 'binary') {
    partsOf(e.left, out);
    partsOf(e.right, out);
  } else if (e.type === 'call') for (const a of e.args) partsOf(a, out);
}

/**
 * `--explain ID` (issue 5, "why did it fire"): the deployment with one extra, polled pattern per
 * part of condition ID's expression, so the engine evaluates each part every tick exactly as the
 * condition does (temporal parts keep their own state from the same inputs, hence the same
 * values). Nothing reads those patterns, so the event log is unchanged.
 * @throws Error when ID is not a condition of the deployment.
 */
export function withExplainParts(model: DeploymentModel, id: string): { model: DeploymentModel; parts: string[] } {
  const c = model.conditions.find((x) => x.id === id);
  if (c === undefined) {
    const ids = model.conditions.map((x) => x.id).join(', ');
    throw new Error(`--explain: "${id}" is not a condition (conditions: ${ids || 'none'})`);
  }
  let top = parseExpr(c.when.text);
  if (c.forUs !== undefined) top = { type: 'call', name: 'held', args: [top, parseExpr(`${c.forUs / 1e6} s`)], at: 0 };
  const all: Expr[] = [];
  partsOf(top, all);
  const parts: string[] = [];
  for (const e of all) {
    const text = exprText(e);
    if (!parts.includes(text) && text !== id) parts.push(text);
  }
  parts.splice(MAX_PARTS);
  const extra: PatternModel[] = parts.map((text, k) => ({
    id: `${PREFIX}${k}`,
    kind: 'expr',
    mode: 'poll',
    unit: undefined,
    expr: { text, pos: c.when.pos },
    filters: [],
    params: {},
    pos: c.pos,
  }));
  return { model: { ...model, patterns: [...model.patterns, ...extra] }, parts };
}

function show(v: unknown): string {
  if (v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v))) return 'unknown';
  if (typeof v === 'number') return String(Math.round(v * 1e4) / 1e4);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Prints, for each edge of the explained condition, the ticks around it (`window` before and
 * after) with the value of every part: a table a person can read at a glance, to `write`.
 */
export class Explainer {
  private readonly rows: string[][] = [];
  private readonly open: Array<{ header: string; until: number; rows: string[][] }> = [];

  constructor(
    private readonly id: string,
    private readonly parts: readonly string[],
    private readonly write: (text: string) => void,
    private readonly window = 5,
  ) {}

  /** Call after each tick's step with that tick's records. */
  observe(engine: Engine, tick: number, tUs: number, records: readonly EventRecord[]): void {
    const row = [String(tick), show(tUs / 1e6), show(engine.valueOf(this.id)), ...this.parts.map((_, k) => show(engine.valueOf(`${PREFIX}${k}`)))];
    this.rows.push(row);
    if (this.rows.length > this.window + 1) this.rows.shift();
    for (const w of this.open) w.rows.push(row);
    for (const r of records) {
      if (r.type === 'edge' && r['id'] === this.id) {
        this.open.push({ header: `explain ${this.id}: ${String(r['edge'])} at t=${show(r.t)} (tick ${tick})`, until: tick + this.window, rows: [...this.rows] });
      }
    }
    while (this.open.length > 0 && (this.open[0]?.until ?? Infinity) <= tick) this.flush();
  }

  /** Prints what is still open (the run ended within the window after an edge). */
  finish(): void {
    while (this.open.length > 0) this.flush();
  }

  private flush(): void {
    const w = this.open.shift();
    if (w === undefined) return;
    const head = ['tick', 't', this.id, ...this.parts];
    const table = [head, ...w.rows];
    const widths = head.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
    const line = (r: readonly string[]): string => `  ${r.map((v, c) => (c < 2 ? v.padStart(widths[c] ?? 0) : v.padEnd(widths[c] ?? 0))).join(' | ')}`.trimEnd();
    this.write(`${w.header}\n${table.map(line).join('\n')}\n`);
  }
}
