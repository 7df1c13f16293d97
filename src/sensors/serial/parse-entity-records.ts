import { garbage, type ParseResult, value } from './parse-result.js';

/**
 * For `kind: entities` with `source: serial`: each line is one JSON record `{id, x, y[, z]}` or
 * an array of them, delivered as parsed (the live sampler accumulates records). Only the shape is
 * checked here: a JSON object, or an array of objects.
 */
export function parseEntityRecords(line: string): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return garbage('not JSON');
  }
  const isRecord = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isRecord(doc) || (Array.isArray(doc) && doc.every(isRecord))) return value(doc);
  return garbage('expected an entity record {id, x, y[, z]} or an array of them');
}
