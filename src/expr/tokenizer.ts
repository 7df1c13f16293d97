import { ExprError } from './ast.js';
import { lookupUnit, type Unit } from './units.js';

export type Token =
  | { readonly kind: 'num'; readonly value: number; readonly unit: Unit | undefined; readonly at: number }
  | { readonly kind: 'str'; readonly value: string; readonly at: number }
  | { readonly kind: 'ident'; readonly value: string; readonly at: number }
  | { readonly kind: 'op'; readonly value: string; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false']);
const OPERATORS = ['<=', '>=', '==', '!=', '<', '>', '+', '-', '*', '/', '(', ')', ','];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
// A unit directly after a number: letters, °, µ, %, and `/` `*` `^` digits inside (`km/h`,
// `ug/m^3`) but never spaces, so `10 m / 2 s` stays two quantities divided.
const UNIT_TEXT = /^[A-Za-z°µ%][A-Za-z0-9°µ%/*^]*/;

/**
 * Splits an expression into tokens. A number followed by a known unit (with or without a space)
 * becomes one quantity token: `28 degC`, `30s`, `5 min`, `18 km/h`. Identifiers may be dotted
 * (`queue.wait`, `floor_mat.cells`).
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i));
      const numText = m?.[0] ?? c;
      i += numText.length;
      const value = Number(numText);
      const unit = readUnit(text, i);
      if (unit !== undefined) i = unit.end;
      tokens.push({ kind: 'num', value, unit: unit?.unit, at: start });
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j] ?? '';
        j++;
      }
      if (j >= text.length) throw new ExprError(start, 'unterminated string');
      tokens.push({ kind: 'str', value, at: start });
      i = j + 1;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length) {
        const d = text[j] ?? '';
        if (IDENT_PART.test(d)) j++;
        else if (d === '.' && IDENT_START.test(text[j + 1] ?? '')) j += 2;
        else break;
      }
      const word = text.slice(i, j);
      tokens.push(KEYWORDS.has(word) ? { kind: 'op', value: word, at: start } : { kind: 'ident', value: word, at: start });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op === undefined) {
      const hint = c === '=' ? ' (write == to compare)' : c === '&' || c === '|' ? ' (write and / or)' : '';
      throw new ExprError(start, `unexpected character "${c}"${hint}`);
    }
    tokens.push({ kind: 'op', value: op, at: start });
    i += op.length;
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

function readUnit(text: string, from: number): { unit: Unit; end: number } | undefined {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const m = UNIT_TEXT.exec(text.slice(i));
  if (m === null) return undefined;
  const word = m[0];
  if (KEYWORDS.has(word)) return undefined;
  const unit = lookupUnit(word);
  if (unit !== undefined) return { unit, end: i + word.length };
  // `5foo` is a typo of a unit; `5 foo` is left for the parser to report.
  if (i === from) throw new ExprError(i, `unknown unit "${word}"`, 'unit');
  return undefined;
}
