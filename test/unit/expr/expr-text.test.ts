import { describe, expect, it } from 'vitest';
import { exprKey } from '../../../src/expr/ast.js';
import { exprText } from '../../../src/expr/expr-text.js';
import { parseExpr } from '../../../src/expr/parser.js';

describe('exprText', () => {
  it.each([
    ['lobby_env.avg > 28 degC', 'lobby_env.avg > 28 degC'],
    ['(a + b) * c', '(a + b) * c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['a - b - c', 'a - b - c'],
    ['not (a and b) or c', 'not (a and b) or c'],
    ['not a and b', 'not a and b'],
    ['-(a + 1)', '-(a + 1)'],
    ['held(door and not alarm, 30s)', 'held(door and not alarm, 30 s)'],
    ['count_in(hall) >= 2 and name == "x"', 'count_in(hall) >= 2 and name == "x"'],
    ['seq(rose(a), rose(b), 10s)', 'seq(rose(a), rose(b), 10 s)'],
  ])('%s prints as %s and parses back to the same expression', (src, text) => {
    const e = parseExpr(src);
    expect(exprText(e)).toBe(text);
    expect(exprKey(parseExpr(exprText(e)))).toBe(exprKey(e));
  });
});
