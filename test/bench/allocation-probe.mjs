// `npm run bench` (allocation part). Runs the compiled evaluation core (dist/, as users run it) over changing inputs and prints, as
// JSON, every allocation site inside the core that V8's sampling heap profiler saw after warm-up.
// `--json`: also one JSON line of figures, last (see bench-figure.ts); BENCH_QUICK=1: shorter warm-up.
import { Session } from 'node:inspector/promises';
import { stringify } from 'yaml';
import { loadConfigText } from '../../dist/config/load.js';
import { Frame } from '../../dist/core/frame.js';
import { Simulation } from '../../dist/runtime/simulation.js';

const n = 500;
const sensors = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, kind: 'mock', unit: 'degC', signal: { sine: { mean: 50, amplitude: 40, period: `${20 + (i % 50)}s` } } }));
const whens = process.argv.slice(2).filter((a) => a !== '--json');
const conditions = sensors.map((s, i) => ({ id: `c${i}`, when: whens[i % whens.length].replaceAll('$', s.id) }));
const { model } = loadConfigText(stringify({ version: 1, runtime: { mode: 'poll' }, sensors, conditions }), 'alloc.yaml');
const sim = new Simulation(model, { seed: 1 });
const frames = [];
for (let i = 0; i < 300; i++) {
  const src = sim.sampler.sample(Math.round(i * sim.periodUs));
  const f = new Frame(src.size);
  f.status.set(src.status);
  f.num.set(src.num);
  frames.push(f);
}
function run(ticks) {
  for (let i = 0; i < ticks; i++) sim.engine.step(frames[i % frames.length], sim.tickIndex++);
}
// Warm up long enough for TurboFan to optimise each of the hundreds of compiled closures (each is
// its own function instance); until then the interpreter boxes every double it touches.
const WARMUP_TICKS = Number(process.env.WARMUP_TICKS ?? (process.env.BENCH_QUICK === '1' ? 30000 : 150000));
run(WARMUP_TICKS);
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
run(20000);
const { profile } = await session.post('HeapProfiler.stopSampling');
const sites = [];
(function walk(node) {
  const url = node.callFrame.url;
  if (node.selfSize > 0 && /\/dist\/(core|expr|conditions|vm|sensors|spatial|patterns)\//.test(url)) {
    sites.push(`${node.callFrame.functionName} ${url.split('/dist/')[1]}:${node.callFrame.lineNumber + 1} (${node.selfSize} B)`);
  }
  node.children.forEach(walk);
})(profile.head);
const bytes = sites.reduce((sum, s) => sum + Number(/\((\d+) B\)$/.exec(s)?.[1] ?? 0), 0);
console.log(`Allocation sites in the evaluation core (sampling heap profiler, ${n} conditions, 20,000 ticks after ${WARMUP_TICKS} of warm-up): ${(bytes / 20000).toFixed(2)} bytes/tick`);
for (const site of sites) console.log(`  ${site}`);
if (process.argv.includes('--json')) {
  const figure = {
    id: 'alloc.probe',
    group: 'allocation per tick, steady state (< 1 B/tick means none: anything allocated every tick is >= 16 B)',
    name: `sampling heap profiler, ${n} conditions of ${whens.length} kinds, poll`,
    value: bytes / 20000,
    unit: 'B/tick',
    target: { op: '<', value: 1 },
    note: `${sites.length} allocation site${sites.length === 1 ? '' : 's'} after ${WARMUP_TICKS} ticks of warm-up${process.env.BENCH_QUICK === '1' ? '; BENCH_QUICK: warm-up too short to judge' : ''}`,
  };
  console.log(JSON.stringify({ figures: [figure] }));
}
