import { isMap, isScalar, isSeq } from 'yaml';
import { didYouMean } from './did-you-mean.js';
import type { SourcePos } from './model.js';
import { isValidId, str } from './readers.js';
import type { Reader } from './schema.js';
import { type At, child, posOf, report } from './yaml-source.js';

/** The sections whose items carry an id; expressions refer to all of them by bare name. */
export const ID_SECTIONS = ['zones', 'sensors', 'patterns', 'conditions'] as const;
/** A section whose items carry an id. */
export type IdSection = (typeof ID_SECTIONS)[number];

const SINGULAR: Readonly<Record<IdSection, string>> = {
  zones: 'zone',
  sensors: 'sensor',
  patterns: 'pattern',
  conditions: 'condition',
};

/** Where an id was first declared. */
export interface Declared {
  readonly section: IdSection;
  readonly pos: SourcePos;
}

/**
 * The one id namespace of a deployment. Built in a first pass over the raw document, before any
 * item is validated, so that a zone with an unrelated mistake still counts as declared and a
 * reference to it is not reported as a second, misleading problem.
 */
export class IdRegistry {
  private readonly ids = new Map<string, Declared>();

  /** Records an id; reports SPATIA_CONFIG_DUPLICATE_ID (at `at`) if it is already taken. */
  declare(id: string, section: IdSection, at: At): void {
    const first = this.ids.get(id);
    const pos = posOf(at);
    if (first === undefined) {
      this.ids.set(id, { section, pos });
      return;
    }
    const where = `${first.pos.path} (line ${first.pos.line})`;
    report(at, 'SPATIA_CONFIG_DUPLICATE_ID', `duplicate id "${id}"; first declared at ${where}`);
  }

  /** Where an id was declared, if it was. */
  get(id: string): Declared | undefined {
    return this.ids.get(id);
  }

  /** Every declared id, in declaration order. */
  all(): string[] {
    return [...this.ids.keys()];
  }

  /** The ids of one section, in declaration order. */
  idsOf(section: IdSection): string[] {
    return [...this.ids].filter(([, d]) => d.section === section).map(([id]) => id);
  }

  /**
   * Checks that `name` (read from `at`) names an item of `section`; reports
   * SPATIA_CONFIG_REFERENCE with a did-you-mean, or saying what the name is instead.
   */
  checkReference(name: string, section: IdSection, at: At): boolean {
    const hit = this.ids.get(name);
    if (hit?.section === section) return true;
    const what = SINGULAR[section];
    const message =
      hit === undefined
        ? `unknown ${what} "${name}"${didYouMean(name, this.idsOf(section))}`
        : `"${name}" is a ${SINGULAR[hit.section]}, not a ${what}`;
    report(at, 'SPATIA_CONFIG_REFERENCE', message);
    return false;
  }
}

/** First pass: collects the ids of every section of the top-level map `root`. */
export function collectIds(root: At): IdRegistry {
  const registry = new IdRegistry();
  if (!isMap(root.node)) return registry;
  for (const pair of root.node.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    const section = ID_SECTIONS.find((s) => s === key);
    if (section === undefined) continue;
    const list = child(root, pair.value, section);
    if (!isSeq(list.node)) continue;
    list.node.items.forEach((node, i) => {
      const item = child(list, node, i);
      if (!isMap(item.node)) return;
      for (const p of item.node.items) {
        if (!isScalar(p.key) || p.key.value !== 'id') continue;
        const idAt = child(item, p.value, 'id');
        const v = isScalar(idAt.node) ? idAt.node.value : undefined;
        // Invalid ids are reported by the item's own reader; here they are just not declared.
        if (isValidId(v)) registry.declare(v, section, idAt);
      }
    });
  }
  return registry;
}

/** A reader for a string naming an item of `section` (a zone's `parent`, a pattern's `zone`). */
export function refTo(ids: IdRegistry, section: IdSection): Reader<string> {
  const read = str({ nonEmpty: true });
  return (at) => {
    const name = read(at);
    return name !== undefined && ids.checkReference(name, section, at) ? name : undefined;
  };
}
