import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ErrorCode } from '../core/errors.js';
import type { IssueList } from './issues.js';
import type { SourcePos } from './model.js';

/**
 * One parsed YAML file with what is needed to report about any of its nodes: the text, the line
 * index, the issue list everything is reported to, and the directory relative paths in it are
 * resolved against.
 */
export class YamlSource {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly lines: LineCounter,
    readonly doc: Document,
    readonly issues: IssueList,
    readonly baseDir: string,
  ) {}

  /**
   * Nodes whose value came from a secret or the environment, with the reference as written
   * (`!secret mqtt_password`, `"${MQTT_PASSWORD}"`): messages show that, never the value.
   */
  readonly written = new WeakMap<object, string>();

  /** The position of a character offset, with the key path it belongs to. */
  posAt(offset: number, path: string): SourcePos {
    const { line, col } = this.lines.linePos(offset);
    // linePos reports line 0 for an empty text; positions are 1-based.
    return { file: this.file, line: Math.max(1, line), col: Math.max(1, col), path: path === '' ? ROOT : path };
  }
}

/** A node with aliases resolved. */
export type YamlNode = Scalar | YAMLMap | YAMLSeq;

/** How the empty path (the top-level map) is printed. */
export const ROOT = '(root)';

/**
 * A value being read: its (alias-resolved) node, its key path such as `sensors[0].filters[1]`, and
 * the source to report to. `node` is undefined only for an empty document.
 */
export interface At {
  readonly src: YamlSource;
  readonly node: YamlNode | undefined;
  readonly path: string;
  /** Where to report when there is no node (`{key}` without a value): the key's offset. */
  readonly offset?: number;
}

/** Where `at`'s node starts, with its path. */
export function posOf(at: At): SourcePos {
  return at.src.posAt(at.node?.range?.[0] ?? at.offset ?? 0, at.path);
}

/** Reports a problem at the start of `at`'s node. */
export function report(at: At, code: ErrorCode, message: string): void {
  at.src.issues.error(code, posOf(at), message);
}

/** Follows aliases (`*name`) to the node they stand for. */
export function deref(src: YamlSource, node: unknown): YamlNode | undefined {
  let n = node;
  // A chain of aliases is finite; the bound only guards against a malformed document.
  for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(src.doc);
  return isScalar(n) || isMap(n) || isSeq(n) ? n : undefined;
}

/** The `at` of a map value or list item. */
export function child(at: At, node: unknown, key: string | number): At {
  const path = typeof key === 'number' ? `${at.path}[${key}]` : at.path === '' ? key : `${at.path}.${key}`;
  return { src: at.src, node: deref(at.src, node), path };
}

/** True for a missing value: `key:` with nothing after it, `~` or `null`. */
export function isEmpty(at: At): boolean {
  return at.node === undefined || (isScalar(at.node) && at.node.value === null);
}

/** Describes what a node holds, for "expected X, got Y" messages. */
export function describe(at: At): string {
  const n = at.node;
  if (n === undefined || (isScalar(n) && n.value === null)) return 'nothing';
  if (isMap(n)) return 'a map';
  if (isSeq(n)) return 'a list';
  const written = at.src.written.get(n);
  if (written !== undefined) return written;
  const v = (n as Scalar).value;
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** One entry of a YAML map, with the key as text and where the key is. */
export interface Entry {
  readonly key: string;
  /** Positioned at the key, for "unknown key" reports. */
  readonly keyAt: At;
  readonly value: At;
}

/**
 * The entries of a map node, in source order, or undefined after reporting that the node is not
 * a map. `<<: *anchor` merge keys are expanded (entries written in the map itself win), since
 * users share blocks of settings that way even though YAML 1.2 dropped merge keys.
 */
export function entries(at: At, what = 'a map'): Entry[] | undefined {
  return collect(at, what, true);
}

function collect(at: At, what: string, loud: boolean): Entry[] | undefined {
  if (!isMap(at.node)) {
    if (loud) report(at, 'SPATIA_CONFIG_TYPE', `expected ${what}, got ${describe(at)}`);
    return undefined;
  }
  const own: Entry[] = [];
  const merged: Entry[] = [];
  for (const pair of at.node.items) {
    const keyNode = deref(at.src, pair.key);
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const keyAt: At = { src: at.src, node: keyNode, path: at.path === '' ? key : `${at.path}.${key}` };
    if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
      merged.push(...mergeSources(child(at, pair.value, '<<'), loud));
      continue;
    }
    const value = child(at, pair.value, key);
    const offset = keyNode?.range?.[0];
    own.push({ key, keyAt, value: value.node === undefined && offset !== undefined ? { ...value, offset } : value });
  }
  const seen = new Set(own.map((e) => e.key));
  const extra = merged.filter((e) => !seen.has(e.key) && (seen.add(e.key), true));
  return [...own, ...extra];
}

function mergeSources(at: At, loud: boolean): Entry[] {
  if (isSeq(at.node)) return at.node.items.flatMap((item, i) => collect(child(at, item, i), 'a map to merge', loud) ?? []);
  return collect(at, 'a map (or a list of maps) to merge', loud) ?? [];
}

/** The items of a list node, or undefined after reporting that the node is not a list. */
export function items(at: At, what = 'a list'): At[] | undefined {
  if (!isSeq(at.node)) {
    report(at, 'SPATIA_CONFIG_TYPE', `expected ${what}, got ${describe(at)}`);
    return undefined;
  }
  return at.node.items.map((item, i) => child(at, item, i));
}

/** The scalar value of a node (undefined for maps and lists). */
export function scalarValue(at: At): unknown {
  return isScalar(at.node) ? at.node.value : undefined;
}

/**
 * The text of an expression written as a scalar and the offset of its first character: the node
 * start for a plain scalar, one past the quote for a quoted one, and the first content character
 * for a block scalar (`|` / `>`). Numbers and booleans keep their source spelling (`true`, `1e3`).
 */
export function expressionText(at: At): { text: string; offset: number } | undefined {
  const n = at.node;
  if (!isScalar(n) || n.value === null) return undefined;
  const start = n.range?.[0] ?? 0;
  switch (n.type) {
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return { text: String(n.value), offset: start + 1 };
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      // Leading blank lines are dropped so that the text starts at the reported position.
      return { text: String(n.value).replace(/^\n+/, '').trimEnd(), offset: blockContentStart(at.src.text, start) };
    default:
      return { text: typeof n.value === 'string' ? n.value : (n.source ?? String(n.value)), offset: start };
  }
}

/** Skips a block scalar's header line, blank lines and indentation. */
function blockContentStart(text: string, headerStart: number): number {
  const eol = text.indexOf('\n', headerStart);
  if (eol < 0) return headerStart;
  const m = /^(?:[ \t]*\r?\n)*[ \t]*/.exec(text.slice(eol + 1));
  return eol + 1 + (m?.[0].length ?? 0);
}

/** The value of `key` in a map node, without reporting anything (for peeking before a full read). */
export function valueAt(at: At, key: string): At | undefined {
  return collect(at, '', false)?.find((e) => e.key === key)?.value;
}

/** Where the key `key` of a map node is written, for reports about the key itself. */
export function keyAt(at: At, key: string): At | undefined {
  return collect(at, '', false)?.find((e) => e.key === key)?.keyAt;
}
