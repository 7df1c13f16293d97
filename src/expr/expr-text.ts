import type { BinaryOp, Expr } from './ast.js';

/** Binding strength, loosest first (SPEC §3): or, and, not, comparisons, + -, * /, unary minus. */
const BINARY_LEVEL: Readonly<Record<BinaryOp, number>> = {
  or: 1,
  and: 2,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '==': 4,
  '!=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
};
const ATOM = 9;

function level(e: Expr): number {
  if (e.type === 'binary') return BINARY_LEVEL[e.op];
  if (e.type === 'unary') return e.op === 'not' ? 3 : 7;
  return ATOM;
}

/**
 * An expression as a person would write it, with only the parentheses its structure needs
 * (`lobby_env.avg > 28 degC`, `held(door and not alarm, 30 s)`). Used to name the parts of a
 * condition in edge records and in `--explain`. Parsing the text gives the same expression.
 */
export function exprText(e: Expr): string {
  switch (e.type) {
    case 'num':
      return e.unit.display === '' ? String(e.value) : `${e.value} ${e.unit.display}`;
    case 'str':
      return JSON.stringify(e.value);
    case 'bool':
      return String(e.value);
    case 'ref':
      return e.name;
    case 'call':
      return `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'unary': {
      const inner = level(e.arg) <= level(e) && e.arg.type !== 'unary' ? `(${exprText(e.arg)})` : exprText(e.arg);
      return e.op === 'not' ? `not ${inner}` : `-${inner}`;
    }
    case 'binary': {
      const l = level(e);
      // Left-associative: a right operand of equal strength needs parentheses (a - (b - c)).
      const left = level(e.left) < l ? `(${exprText(e.left)})` : exprText(e.left);
      const right = level(e.right) <= l ? `(${exprText(e.right)})` : exprText(e.right);
      return `${left} ${e.op} ${right}`;
    }
  }
}
