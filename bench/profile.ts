// Summarises a V8 CPU profile (`node --cpu-prof`, or a bench run with
// BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"): where the process spent its time, by
// area (a workspace package, a dependency, Node itself, the garbage collector) and by function,
// as self time. Usage: node bench/profile.ts FILE.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const CpuProfile = z.object({
  nodes: z.array(z.object({
    id: z.number(),
    callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
  })),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const [file] = positionals;
if (!file) {
  console.error('usage: node bench/profile.ts FILE.cpuprofile [--top 25]');
  process.exit(2);
}
const profile = CpuProfile.parse(JSON.parse(readFileSync(file, 'utf8')));
const top = Number(values.top);

// Self time per node: each sample is charged the time until the next one.
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index + 1] ?? 0)));
const total = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0);

/** The part of the system a frame belongs to. */
function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] ?? ''}`;
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1] ?? url;
  const workspace = /\/((?:packages|services|bench|infra)\/[^/]+)\//.exec(url);
  return workspace?.[1] ?? url;
}

const byArea = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const area = areaOf(url, functionName);
  byArea.set(area, (byArea.get(area) ?? 0) + micros);
  const where = url === '' ? '' : ` ${url.replace(/^file:\/\/.*?\/(node_modules|packages|services|bench|infra)\//, '$1/')}:${lineNumber + 1}`;
  const name = `${functionName || '(anonymous)'}${where}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
}

const share = (micros: number) => `${((100 * micros) / total).toFixed(1)} %`;
const rows = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log([
  `### ${file}: ${(total / 1e6).toFixed(2)} s sampled`,
  '',
  '| area | self time | share |',
  '| --- | ---: | ---: |',
  ...rows(byArea).map(([area, micros]) => `| ${area} | ${(micros / 1000).toFixed(0)} ms | ${share(micros)} |`),
  '',
  '| function | self time | share |',
  '| --- | ---: | ---: |',
  ...rows(byFunction).map(([name, micros]) => `| \`${name.replaceAll('|', '\\|')}\` | ${(micros / 1000).toFixed(0)} ms | ${share(micros)} |`),
].join('\n'));
