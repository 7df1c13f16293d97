import { dirname, isAbsolute, resolve } from 'node:path';
import type { DeploymentModel } from '../config/model.js';
import { R, permits } from './access.js';
import { type CheckResult, fail, ok } from './check-result.js';
import type { DoctorContext } from './doctor-context.js';

/** A broker the deployment talks to, with who uses it and the TLS files configured for it. */
export interface MqttEndpoint {
  /** `mqtt://host:port`, the port made explicit. */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  readonly users: readonly string[];
  /** `ca`, `cert`, `key` paths as configured (absolute, or relative to the config file). */
  readonly tlsFiles: ReadonlyArray<{ readonly key: string; readonly path: string }>;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };
const TLS_KEYS = ['ca', 'cert', 'key'] as const;

/** A broker is given up on after this long: long enough for a LAN or a slow Pi, short for a person. */
export const MQTT_PROBE_TIMEOUT_MS = 2000;

function parseBroker(url: string): { scheme: string; host: string; port: number } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const scheme = u.protocol.replace(/:$/, '');
  const port = u.port === '' ? DEFAULT_PORTS[scheme] : Number(u.port);
  if (port === undefined) return undefined;
  return { scheme, host: u.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost', port };
}

/** TLS file keys (`ca`, `cert`, `key`) of a sensor's hardware record or of outputs.mqtt, when present. */
function tlsFilesOf(record: Readonly<Record<string, unknown>>, baseDir: string): Array<{ key: string; path: string }> {
  const files: Array<{ key: string; path: string }> = [];
  for (const key of TLS_KEYS) {
    const v = record[key];
    if (typeof v === 'string' && v !== '') files.push({ key, path: isAbsolute(v) ? v : resolve(baseDir, v) });
  }
  return files;
}

/** The brokers of mqtt sensors, entities from mqtt and outputs.mqtt, one entry per host:port. */
export function mqttEndpoints(model: DeploymentModel): MqttEndpoint[] {
  const baseDir = dirname(resolve(model.file));
  const byAddress = new Map<string, { host: string; port: number; users: string[]; tlsFiles: Array<{ key: string; path: string }> }>();
  const add = (url: unknown, user: string, record: Readonly<Record<string, unknown>>): void => {
    const broker = typeof url === 'string' ? parseBroker(url) : undefined;
    if (broker === undefined) return;
    const host = broker.host.includes(':') ? `[${broker.host}]` : broker.host;
    const address = `${broker.scheme}://${host}:${broker.port}`;
    const entry = byAddress.get(address) ?? { host: broker.host, port: broker.port, users: [], tlsFiles: [] };
    entry.users.push(user);
    for (const f of tlsFilesOf(record, baseDir)) {
      if (!entry.tlsFiles.some((t) => t.path === f.path)) entry.tlsFiles.push(f);
    }
    byAddress.set(address, entry);
  };
  for (const s of model.sensors) {
    if (s.kind === 'mqtt' || (s.kind === 'entities' && s.hardware['source'] === 'mqtt')) add(s.hardware['url'], `sensor ${s.id}`, s.hardware);
  }
  const out = model.outputs.mqtt;
  if (out !== undefined) add(out.url, 'outputs.mqtt', out as unknown as Readonly<Record<string, unknown>>);
  return [...byAddress].map(([address, e]) => ({ address, ...e }));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function brokerFix(e: MqttEndpoint, error: string): string {
  if (error === 'ENOTFOUND' || error === 'EAI_AGAIN') return `the host name ${e.host} does not resolve: correct the url (or the DNS/hosts entry)`;
  if (isLoopback(e.host)) return 'start the broker on this machine (sudo apt install mosquitto && sudo systemctl enable --now mosquitto), or correct the url';
  return `check that a broker listens on ${e.host}:${e.port} and that no firewall blocks it (try: nc -vz ${e.host} ${e.port})`;
}

async function endpointChecks(ctx: DoctorContext, e: MqttEndpoint, timeoutMs: number): Promise<CheckResult[]> {
  const users = `used by ${e.users.join(', ')}`;
  const probe = await ctx.env.probeTcp(e.host, e.port, timeoutMs);
  const out: CheckResult[] = [
    probe.ok
      ? ok(e.address, `broker reachable (TCP) (${users})`)
      : fail(e.address, `cannot connect: ${probe.error} (${users})`, brokerFix(e, probe.error), 'SPATIA_MQTT_CONNECT'),
  ];
  for (const f of e.tlsFiles) {
    const st = await ctx.env.fs.stat(f.path);
    if (st !== undefined && !st.isDirectory && permits(st, ctx.env.user, R)) {
      out.push(ok(e.address, `${f.key} ${f.path} is readable`));
    } else {
      const why = st === undefined ? 'is missing' : st.isDirectory ? 'is a directory' : `is not readable by ${ctx.env.user.name}`;
      out.push(fail(e.address, `${f.key} ${f.path} ${why}`, `correct the ${f.key} path, or make the file readable by ${ctx.env.user.name}`, 'SPATIA_MQTT_AUTH'));
    }
  }
  return out;
}

/** Probes every broker concurrently (each bounded by `timeoutMs`) and checks its TLS files. */
export async function mqttChecks(ctx: DoctorContext, endpoints: readonly MqttEndpoint[], timeoutMs = MQTT_PROBE_TIMEOUT_MS): Promise<CheckResult[]> {
  const results = await Promise.all(endpoints.map((e) => endpointChecks(ctx, e, timeoutMs)));
  return results.flat();
}
