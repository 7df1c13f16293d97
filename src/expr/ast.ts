import type { Unit } from './units.js';

/** Expression syntax tree. `at` is the character offset of the node within the expression text. */
export type Expr =
  | { readonly type: 'num'; readonly value: number; readonly unit: Unit; readonly at: number }
  | { readonly type: 'str'; readonly value: string; readonly at: number }
  | { readonly type: 'bool'; readonly value: boolean; readonly at: number }
  | { readonly type: 'ref'; readonly name: string; readonly at: number }
  | { readonly type: 'unary'; readonly op: '-' | 'not'; readonly arg: Expr; readonly at: number }
  | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly at: number }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly at: number };

export type BinaryOp = 'or' | 'and' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '+' | '-' | '*' | '/';

/** A problem in an expression, at a character offset of its text. */
export class ExprError extends Error {
  constructor(
    readonly at: number,
    message: string,
    readonly kind: 'syntax' | 'type' | 'unit' | 'reference' | 'unsupported' = 'syntax',
  ) {
    super(message);
    this.name = 'ExprError';
  }
}

/** Canonical text of an expression: equal texts mean structurally equal expressions. */
export function exprKey(e: Expr): string {
  switch (e.type) {
    case 'num':
      return e.unit.name === '' ? String(e.value) : `${e.value}[${e.unit.name}]`;
    case 'str':
      return JSON.stringify(e.value);
    case 'bool':
      return String(e.value);
    case 'ref':
      return e.name;
    case 'unary':
      return `(${e.op} ${exprKey(e.arg)})`;
    case 'binary':
      return `(${exprKey(e.left)} ${e.op} ${exprKey(e.right)})`;
    case 'call':
      return `${e.name}(${e.args.map(exprKey).join(', ')})`;
  }
}
