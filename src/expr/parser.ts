import { ExprError, type BinaryOp, type Expr } from './ast.js';
import { tokenize, type Token } from './tokenizer.js';
import { NO_UNIT } from './units.js';

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

/**
 * Parses an expression (SPEC §3). Precedence, loosest first: or; and; not; comparisons; + -;
 * * /; unary -; calls, literals, references and parentheses. Comparisons do not chain
 * (`a < b < c` is an error, as it almost always is a mistake).
 */
export function parseExpr(text: string): Expr {
  const p = new Parser(tokenize(text));
  if (p.peek().kind === 'end') throw new ExprError(0, 'empty expression');
  const e = p.or();
  const t = p.peek();
  if (t.kind !== 'end') throw new ExprError(t.at, `unexpected ${describe(t)}`);
  return e;
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.i] ?? { kind: 'end', at: 0 };
  }

  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }

  private expect(value: string): Token {
    const t = this.next();
    if (t.kind !== 'op' || t.value !== value) throw new ExprError(t.at, `expected "${value}" but found ${describe(t)}`);
    return t;
  }

  or(): Expr {
    let left = this.and();
    while (this.isOp('or')) {
      const at = this.next().at;
      left = { type: 'binary', op: 'or', left, right: this.and(), at };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isOp('and')) {
      const at = this.next().at;
      left = { type: 'binary', op: 'and', left, right: this.not(), at };
    }
    return left;
  }

  private not(): Expr {
    if (this.isOp('not')) {
      const at = this.next().at;
      return { type: 'unary', op: 'not', arg: this.not(), at };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARISONS.has(t.value)) {
      this.next();
      const right = this.additive();
      const after = this.peek();
      if (after.kind === 'op' && COMPARISONS.has(after.value)) {
        throw new ExprError(after.at, 'comparisons do not chain: write "a < b and b < c"');
      }
      return { type: 'binary', op: t.value as BinaryOp, left, right, at: t.at };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.value !== '+' && t.value !== '-')) return left;
      this.next();
      left = { type: 'binary', op: t.value, left, right: this.multiplicative(), at: t.at };
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.value !== '*' && t.value !== '/')) return left;
      this.next();
      left = { type: 'binary', op: t.value, left, right: this.unary(), at: t.at };
    }
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const at = this.next().at;
      return { type: 'unary', op: '-', arg: this.unary(), at };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'num':
        return { type: 'num', value: t.value, unit: t.unit ?? NO_UNIT, at: t.at };
      case 'str':
        return { type: 'str', value: t.value, at: t.at };
      case 'ident':
        if (this.isOp('(')) return this.call(t.value, t.at);
        return { type: 'ref', name: t.value, at: t.at };
      case 'op':
        if (t.value === 'true' || t.value === 'false') return { type: 'bool', value: t.value === 'true', at: t.at };
        if (t.value === '(') {
          const e = this.or();
          this.expect(')');
          return e;
        }
        throw new ExprError(t.at, `unexpected ${describe(t)}`);
      case 'end':
        throw new ExprError(t.at, 'unexpected end of expression');
    }
  }

  private call(name: string, at: number): Expr {
    this.expect('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.or());
      while (this.isOp(',')) {
        this.next();
        args.push(this.or());
      }
    }
    this.expect(')');
    return fieldCall(name, args, at) ?? { type: 'call', name, args, at };
  }
}

/**
 * Field calls of patterns are sugar for dotted fields, so they resolve, type-check and wake like
 * any field: `floor.percent_in(lobby)` is `floor.percent_in.lobby`, `floor.hotspots(2)` is
 * `floor.hotspots.2` (the 2 strongest cells).
 */
function fieldCall(name: string, args: readonly Expr[], at: number): Expr | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const method = name.slice(dot + 1);
  const [arg] = args;
  if (method === 'percent_in') {
    if (args.length !== 1 || arg?.type !== 'ref' || arg.name.includes('.')) throw new ExprError(at, `${name}() takes one zone id`, 'type');
    return { type: 'ref', name: `${name}.${arg.name}`, at };
  }
  if (method === 'hotspots') {
    if (args.length !== 1 || arg?.type !== 'num' || !Number.isInteger(arg.value) || arg.value < 1 || arg.unit.name !== '') {
      throw new ExprError(at, `${name}() takes a whole number of cells, such as ${name}(3)`, 'type');
    }
    return { type: 'ref', name: `${name}.${arg.value}`, at };
  }
  return undefined;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'end of expression';
    case 'num':
      return `number ${t.value}`;
    case 'str':
      return `string "${t.value}"`;
    default:
      return `"${t.value}"`;
  }
}
