import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { collectIds } from './ids.js';
import { IssueList } from './issues.js';
import type { LoadContext } from './load-context.js';
import type { DeploymentModel } from './model.js';
import { int } from './readers.js';
import { def, opt, readObject, req, type Reader, type Shape } from './schema.js';
import { readConditions } from './schema-conditions.js';
import { readPatterns } from './schema-patterns.js';
import { readOutputs, readRuntime } from './schema-runtime.js';
import { readSensors } from './schema-sensors.js';
import { resolveSecrets, SECRET_TAG } from './secrets.js';
import { readZones } from './schema-zones.js';
import { type At, deref, isEmpty, report, scalarValue, valueAt, YamlSource } from './yaml-source.js';

/** Where a load finds what the file refers to. */
export interface LoadOptions {
  /** The environment for `${NAME}` and `$CREDENTIALS_DIRECTORY` (see secrets.ts). Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What loading a configuration gives: the model when there is no error, and every issue found. */
export interface LoadResult {
  readonly model: DeploymentModel | undefined;
  readonly issues: IssueList;
}

const version: Reader<1> = (at) => {
  const v = int()(at);
  if (v === undefined || v === 1) return v;
  report(at, 'SPATIA_CONFIG_UNSUPPORTED', `version ${v} is not supported; this spatia reads version 1`);
  return undefined;
};

/** The top level of a deployment file (SPEC §2). */
export function deploymentShape(ctx: LoadContext) {
  return {
    version: req(version, 'Format version; must be 1.'),
    runtime: opt(readRuntime, 'Tick rate, state directory, checkpointing, restart behaviour.'),
    zones: def(readZones(ctx), [], 'Named areas of the site.'),
    sensors: def(readSensors(ctx), [], 'Inputs: gpio, i2c, serial, mqtt, mock and entities sensors.'),
    patterns: def(readPatterns(ctx), [], 'Derived values, updated in dependency order each tick.'),
    conditions: def(readConditions(ctx), [], 'Expressions whose edges run actions.'),
    outputs: opt(readOutputs, 'Where actions publish.'),
  } satisfies Shape;
}

/** Peeks at the parts of the document that other sections depend on, before validating any. */
function contextOf(root: At): LoadContext {
  const outputs = valueAt(root, 'outputs');
  const mqtt = outputs === undefined ? undefined : valueAt(outputs, 'mqtt');
  const urlAt = mqtt === undefined ? undefined : valueAt(mqtt, 'url');
  const url = urlAt === undefined ? undefined : scalarValue(urlAt);
  return {
    ids: collectIds(root),
    hasMqttOutput: mqtt !== undefined && isMap(mqtt.node),
    mqttUrl: typeof url === 'string' ? url : undefined,
  };
}

/**
 * Parses and validates a deployment written as YAML text. Every problem is collected in one pass
 * (YAML syntax errors first stop the validation, since a broken document would give misleading
 * follow-up errors). `!secret NAME` and `${ENV}` references are resolved first (secrets.ts), so
 * every section sees values while reports keep the references' positions. `file` is used in
 * positions and to resolve relative paths (`state_dir`, CSV signals, callback modules, TLS files),
 * which the model stores as absolute paths.
 */
export function loadConfigText(text: string, file: string, opts: LoadOptions = {}): LoadResult {
  const issues = new IssueList();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, customTags: [SECRET_TAG] });
  const src = new YamlSource(file, text, lineCounter, doc, issues, dirname(resolve(file)));
  for (const e of doc.errors) issues.error('SPATIA_CONFIG_YAML', src.posAt(e.pos[0], '(yaml)'), e.message);
  // `!secret` on a map or list is reported by resolveSecrets, with a better message.
  const warnings = doc.warnings.filter((w) => !(w.code === 'TAG_RESOLVE_FAILED' && w.message.includes('!secret')));
  for (const w of warnings) issues.warn('SPATIA_CONFIG_YAML', src.posAt(w.pos[0], '(yaml)'), w.message);
  if (doc.errors.length > 0) return { model: undefined, issues };
  resolveSecrets(src, { env: opts.env ?? process.env });

  const root: At = { src, node: deref(src, doc.contents), path: '' };
  if (isEmpty(root)) {
    report(root, 'SPATIA_CONFIG_MISSING', 'the file is empty; a deployment starts with "version: 1"');
    return { model: undefined, issues };
  }
  const ctx = contextOf(root);
  // `x-` keys hold YAML anchors shared by the sections (the docker-compose convention).
  const v = readObject(root, deploymentShape(ctx), { other: (e) => e.key.startsWith('x-') });
  const runtime = v?.runtime ?? readRuntime(undefined);
  const outputs = v?.outputs ?? { mqtt: undefined };
  if (v === undefined || runtime === undefined || issues.hasErrors) return { model: undefined, issues };
  const model: DeploymentModel = {
    version: v.version,
    file,
    runtime,
    zones: v.zones,
    sensors: v.sensors,
    patterns: v.patterns,
    conditions: v.conditions,
    outputs,
  };
  return { model, issues };
}

/** Reads and validates a deployment file; an unreadable file is a SPATIA_CONFIG_FILE issue. */
export function loadConfigFile(path: string, opts: LoadOptions = {}): LoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const issues = new IssueList();
    issues.error('SPATIA_CONFIG_FILE', { file: path, line: 1, col: 1, path: '(file)' }, `cannot read the file: ${(err as Error).message}`);
    return { model: undefined, issues };
  }
  return loadConfigText(text, path, opts);
}
