/**
 * `npm run bench`: the whole benchmark suite, one table. Each bench runs alone in its own
 * process (`node BENCH.js --json`), so GC and JIT state never leak from one into the next; each
 * prints its own lines and then its figures as one JSON line, which is all this runner reads.
 *
 *   npm run bench                    the table (progress on stderr)
 *   npm run -s bench -- --json       one JSON object on stdout instead (-s: without npm's banner)
 *   npm run bench -- --verbose       each bench's own lines on stderr as well
 *   npm run bench -- --only core,memory
 *   BENCH_QUICK=1 npm run bench      every bench shortened: a smoke run of a minute or two
 *
 * Benches assert nothing; a figure that misses its target says MISS. Exit status 1 only when a
 * bench crashed or timed out.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Figure, type FigureLine, JSON_FLAG, QUICK } from './bench-figure.js';
import { benchReport, byGroup, formatBenchTable } from './bench-table.js';

interface Bench {
  readonly name: string;
  /** Relative to the repository root. */
  readonly script: string;
  readonly nodeArgs?: readonly string[];
  readonly args?: readonly string[];
}

const BENCH_DIR = 'dist-bench/test/bench';
/** The expressions the allocation probe compiles (the kinds the core keeps allocation-free). */
const PROBE_WHENS = ['$ > 1000', 'held($ > 1000, 10s)', 'within($ > 1000, 30s)', 'avg($, 1min) > 1000', 'sum($, 10s) > 1e9 or count($ > 1000, 10s) > 3', 'rate($, 10s) > 1000 degC/s', 'max($, 1min) > 1000'];

const BENCHES: readonly Bench[] = [
  { name: 'core', script: `${BENCH_DIR}/core-bench.js`, nodeArgs: ['--expose-gc'] },
  { name: 'allocation-probe', script: 'test/bench/allocation-probe.mjs', args: PROBE_WHENS },
  { name: 'memory', script: `${BENCH_DIR}/memory-bench.js`, nodeArgs: ['--expose-gc'] },
  { name: 'spatial', script: `${BENCH_DIR}/spatial-bench.js` },
  { name: 'live-tick', script: `${BENCH_DIR}/live-tick-bench.js` },
  { name: 'mqtt-ingest', script: `${BENCH_DIR}/mqtt-ingest-bench.js` },
  { name: 'callback', script: `${BENCH_DIR}/callback-bench.js` },
  { name: 'outbox', script: `${BENCH_DIR}/outbox-bench.js` },
  { name: 'persistence', script: `${BENCH_DIR}/persistence-bench.js` },
];

/** A bench that runs longer than this is stopped and reported as failed. */
const TIMEOUT_MS = QUICK ? 5 * 60_000 : 20 * 60_000;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Options {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly only: ReadonlySet<string> | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  let only: Set<string> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === JSON_FLAG || a === '--verbose') continue;
    if (a === '--only' && argv[i + 1] !== undefined) only = new Set((argv[++i] as string).split(','));
    else throw new Error(`unknown option ${a}; use --json, --verbose, --only NAME[,NAME] (${BENCHES.map((b) => b.name).join(', ')})`);
  }
  for (const name of only ?? []) if (!BENCHES.some((b) => b.name === name)) throw new Error(`--only: no bench named ${name}`);
  return { json: argv.includes(JSON_FLAG), verbose: argv.includes('--verbose'), only };
}

let running: number | undefined;

/** Runs one bench in its own process group (so a timeout also stops the brokers it spawned). */
function runBench(b: Bench, verbose: boolean): Promise<Figure[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(b.nodeArgs ?? []), b.script, ...(b.args ?? []), JSON_FLAG], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running = child.pid;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (verbose) process.stderr.write(d.split('\n').filter((l) => !l.startsWith('{"figures"')).join('\n'));
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (verbose) process.stderr.write(d);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, TIMEOUT_MS);
    const failed = (why: string): Figure[] => [{ id: `${b.name}.failed`, group: `${b.name} bench`, name: `${b.script}`, value: null, unit: '', failed: why }];
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running = undefined;
      const last = stdout.trimEnd().split('\n').pop() ?? '';
      const lastErr = stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-1)[0] ?? '';
      if (timedOut) return resolve(failed(`timed out after ${TIMEOUT_MS / 60_000} min`));
      if (code !== 0) return resolve(failed(`exit ${code ?? signal}${lastErr === '' ? '' : `: ${lastErr}`}`));
      try {
        resolve([...(JSON.parse(last) as FigureLine).figures]);
      } catch {
        resolve(failed('printed no figures (last line is not JSON)'));
      }
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      killGroup(running);
      process.exit(130);
    });
  }
  const started = Date.now();
  const load = loadavg()[0] ?? 0;
  const figures: Figure[] = [];
  const seconds: Record<string, number> = {};
  for (const b of BENCHES) {
    if (o.only !== undefined && !o.only.has(b.name)) continue;
    process.stderr.write(`bench: ${b.name} ...`);
    const t0 = Date.now();
    const got = await runBench(b, o.verbose);
    seconds[b.name] = Math.round((Date.now() - t0) / 100) / 10;
    process.stderr.write(`${o.verbose ? `bench: ${b.name}` : ''} ${seconds[b.name]} s${got.some((f) => f.failed !== undefined) ? ' FAILED' : ''}\n`);
    figures.push(...got);
  }
  const ordered = byGroup(figures);
  const durationS = Math.round((Date.now() - started) / 1000);
  const cpu = cpus();
  const meta = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryMB: Math.round(totalmem() / 1e6),
    loadAverageAtStart: Math.round(load * 100) / 100,
    quick: QUICK,
    startedAt: new Date(started).toISOString(),
    durationS,
    secondsPerBench: seconds,
  };
  if (o.json) process.stdout.write(`${JSON.stringify(benchReport(ordered, meta))}\n`);
  else {
    const title = `spatia benchmarks${QUICK ? ' (BENCH_QUICK=1: shortened runs)' : ''}: node ${meta.node}, ${meta.cpus} x ${meta.cpuModel}, load ${meta.loadAverageAtStart} at start, ${durationS} s`;
    process.stdout.write(formatBenchTable(ordered, title));
  }
  return figures.some((f) => f.failed !== undefined && f.id.endsWith('.failed')) ? 1 : 0;
}

process.exitCode = await main();
