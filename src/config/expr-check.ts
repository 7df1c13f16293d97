import type { ErrorCode } from '../core/errors.js';
import { ExprError } from '../expr/ast.js';
import { parseExpr } from '../expr/parser.js';
import { referencesOf } from '../expr/references.js';
import { didYouMean } from './did-you-mean.js';
import type { IdRegistry } from './ids.js';
import type { ExprSource } from './model.js';
import type { At } from './yaml-source.js';

/**
 * Checks an expression with the rest of the file: its syntax and the ids it names, in the same
 * pass as every other key, so one `spatia validate` reports a bad key and a misspelt sensor
 * together. Types and units need the whole graph and are checked when it is compiled.
 * Returns false (having reported) when the expression is unusable.
 */
export function checkExpression(at: At, src: ExprSource, ids: IdRegistry): boolean {
  const fail = (code: ErrorCode, offset: number, message: string): false => {
    at.src.issues.error(code, { ...src.pos, col: src.pos.col + offset }, message);
    return false;
  };
  let ast;
  try {
    ast = parseExpr(src.text);
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    return fail(err.kind === 'unit' ? 'SPATIA_CONFIG_UNIT' : 'SPATIA_CONFIG_EXPR_SYNTAX', err.at, err.message);
  }
  let ok = true;
  for (const ref of referencesOf(ast)) {
    if (ids.get(ref.id) !== undefined) continue;
    ok = fail('SPATIA_CONFIG_REFERENCE', ref.at, `unknown id "${ref.id}"${didYouMean(ref.id, ids.all())}`);
  }
  return ok;
}
