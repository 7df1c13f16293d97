import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Document, isMap, isPair, isScalar, isSeq, type Node, type Pair, parseDocument, type Scalar, type ScalarTag, visit } from 'yaml';
import { type At, report, type YamlNode, type YamlSource } from './yaml-source.js';

/**
 * Secrets in a deployment file, resolved in the parsed document before anything is validated, so
 * every reader sees the value and every report keeps the position of the reference:
 *
 * - `password: !secret mqtt_password` is the value of the secret `mqtt_password`, looked up in
 *   `$CREDENTIALS_DIRECTORY/mqtt_password` (a file, as systemd's `LoadCredential=` provides;
 *   one trailing newline dropped), then under the key `mqtt_password` of `secrets.yaml` in the
 *   config file's directory. The value is always text, spelt as written.
 * - `${NAME}` inside any string value is the environment variable NAME; `${NAME:-fallback}` uses
 *   the fallback when NAME is unset or empty; `$${` writes a literal `${`. An unquoted value made
 *   only of what the substitution gives is read as YAML would read it (`bus: ${I2C_BUS}` is a number).
 *
 * An unresolvable reference is a SPATIA_CONFIG_SECRET issue at its position. Resolved values never
 * appear in a message: `describe()` shows the reference as written instead (see YamlSource.written).
 */

/** The `!secret NAME` tag: parsed as the name; {@link resolveSecrets} puts the value in its place. */
export const SECRET_TAG: ScalarTag = { tag: '!secret', default: false, resolve: (name: string) => name };

/** Where secrets come from; the environment is injectable for tests. */
export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CREDENTIAL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const REFERENCE = /\$(\$)?\{([^}]*)\}/g;

/** Replaces every `!secret` and `${ENV}` reference of `src.doc` by its value, reporting failures. */
export function resolveSecrets(src: YamlSource, sources: SecretSources): void {
  const store = new SecretStore(src.baseDir, sources.env);
  visit(src.doc, {
    Map: (_key, node, path) => refuseCollection(at(src, node, path)),
    Seq: (_key, node, path) => refuseCollection(at(src, node, path)),
    Scalar: (key, node, path) => {
      if (key === 'key') return;
      if (node.tag === '!secret') resolveSecret(at(src, node, path), node, store);
      else if (typeof node.value === 'string' && node.value.includes('${')) substitute(at(src, node, path), node, sources.env);
    },
  });
}

type Ancestors = readonly (Document | Node | Pair)[];

/** The `at` of a node reached by `visit`, with its key path (`outputs.mqtt.password`). */
function at(src: YamlSource, node: Node, ancestors: Ancestors): At {
  let path = '';
  ancestors.forEach((a, i) => {
    if (isPair(a)) {
      const key = isScalar(a.key) ? String(a.key.value) : '?';
      path = path === '' ? key : `${path}.${key}`;
    } else if (isSeq(a)) {
      const next = ancestors[i + 1] ?? node;
      path = `${path}[${a.items.indexOf(next as never)}]`;
    }
  });
  return { src, node: node as YamlNode, path };
}

function refuseCollection(where: At): void {
  if (where.node?.tag !== '!secret') return;
  report(where, 'SPATIA_CONFIG_SECRET', '!secret takes a name, such as `password: !secret mqtt_password`');
}

function resolveSecret(where: At, node: Scalar, store: SecretStore): void {
  const name = String(node.value ?? '').trim();
  where.src.written.set(node, `!secret ${name}`);
  if (name === '') {
    report(where, 'SPATIA_CONFIG_SECRET', '!secret needs a name, such as `password: !secret mqtt_password`');
    return;
  }
  const r = store.get(name);
  if ('error' in r) report(where, 'SPATIA_CONFIG_SECRET', r.error);
  else node.value = r.value;
}

function substitute(where: At, node: Scalar, env: SecretSources['env']): void {
  const src = where.src;
  const written = node.value as string;
  src.written.set(node, JSON.stringify(written));
  let missing: string | undefined;
  const value = written.replace(REFERENCE, (whole, escaped: string | undefined, inner: string) => {
    if (escaped !== undefined) return whole.slice(1);
    const [name = '', fallback] = splitFallback(inner);
    if (!NAME.test(name)) {
      missing ??= `\${${inner}} is not an environment variable reference (NAME or NAME:-default); write $\${...} for a literal \${`;
      return whole;
    }
    const v = env[name];
    if (v !== undefined && (v !== '' || fallback === undefined)) return v;
    if (fallback !== undefined) return fallback;
    missing ??= `environment variable ${name} is not set (write \${${name}:-default} for a default)`;
    return whole;
  });
  if (missing !== undefined) {
    report(where, 'SPATIA_CONFIG_SECRET', missing);
    return;
  }
  node.value = node.type === 'PLAIN' ? plainScalar(value) : value;
  // `text` readers spell non-strings from `source`: it must be the substituted text, not the reference.
  node.source = value;
}

function splitFallback(inner: string): [string, string | undefined] {
  const i = inner.indexOf(':-');
  return i < 0 ? [inner.trim(), undefined] : [inner.slice(0, i).trim(), inner.slice(i + 2)];
}

/** An unquoted value as YAML's core schema reads it: a number or boolean when it is one, else text. */
function plainScalar(text: string): string | number | boolean {
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

/** The secrets of one load: the credentials directory, then secrets.yaml, read at most once. */
class SecretStore {
  private file: { values: Map<string, unknown> } | { error: string } | undefined;

  constructor(
    private readonly baseDir: string,
    private readonly env: SecretSources['env'],
  ) {}

  get(name: string): { value: string } | { error: string } {
    const credentials = this.env['CREDENTIALS_DIRECTORY'];
    if (credentials !== undefined && credentials !== '' && CREDENTIAL_NAME.test(name)) {
      const path = join(credentials, name);
      if (existsSync(path)) {
        try {
          return { value: readFileSync(path, 'utf8').replace(/\r?\n$/, '') };
        } catch (err) {
          return { error: `cannot read the credential ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
        }
      }
    }
    const file = this.load();
    const where = credentials ? ` (nor in $CREDENTIALS_DIRECTORY ${credentials})` : '';
    if ('error' in file) return { error: `no secret "${name}": ${file.error}${where}` };
    const v = file.values.get(name);
    if (v === undefined) return { error: `no secret "${name}" in ${this.path()}${where}` };
    if (typeof v !== 'string') return { error: `secret "${name}" in ${this.path()} must be a single value (text or a number)` };
    return { value: v };
  }

  private path(): string {
    return join(this.baseDir, 'secrets.yaml');
  }

  private load(): { values: Map<string, unknown> } | { error: string } {
    this.file ??= this.read();
    return this.file;
  }

  private read(): { values: Map<string, unknown> } | { error: string } {
    const path = this.path();
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { error: code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path} (${code ?? (err as Error).message})` };
    }
    const doc = parseDocument(text, { prettyErrors: false });
    // Only the position: a YAML error message could quote a secret.
    if (doc.errors.length > 0) return { error: `${path} is not valid YAML (near character ${doc.errors[0]?.pos[0] ?? 0})` };
    const values = new Map<string, unknown>();
    if (isMap(doc.contents)) {
      for (const pair of doc.contents.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        const v = pair.value;
        // Spelt as written: a password 0042 must not become 42.
        if (isScalar(v) && v.value !== null) values.set(key, typeof v.value === 'string' ? v.value : (v.source ?? String(v.value)));
        else values.set(key, null);
      }
    } else if (doc.contents !== null) {
      return { error: `${path} must be a map of NAME: value` };
    }
    return { values };
  }
}
