import { readFileSync } from 'node:fs';

// Usage: node bench/dist/summarize-profile.js FILE.cpuprofile [top]
// Prints the top self-time functions overall, per package, and within Switchyard's own code (dist/).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time in ms per node id, from the sample stream. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return times;
}

/** Where a function lives: switchyard, a package name, node internals, or the VM itself. */
function owner(url: string): string {
  if (url === '') return '(vm: gc, idle, native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.includes('/dist/')) return 'switchyard';
  return url;
}

function table(title: string, entries: [string, number][], total: number, top: number): string {
  const lines = entries
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [`## ${title}`, ...lines, ''].join('\n');
}

const file = process.argv[2];
if (!file) throw new Error('usage: summarize-profile FILE.cpuprofile [top]');
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const times = selfTimes(profile);
const total = (profile.endTime - profile.startTime) / 1000;
const byFunction = new Map<string, number>();
const byOwner = new Map<string, number>();
const own = new Map<string, number>();
for (const node of profile.nodes) {
  const ms = times.get(node.id) ?? 0;
  if (ms === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = owner(url);
  const short = url.replace(/^.*\/(dist|node_modules)\//, '$1/');
  const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  byOwner.set(where, (byOwner.get(where) ?? 0) + ms);
  if (where === 'switchyard') own.set(key, (own.get(key) ?? 0) + ms);
}
console.log(`profile: ${file}\nwall: ${total.toFixed(0)} ms\n`);
console.log(table('self time by owner', [...byOwner.entries()], total, top));
console.log(table('top self-time functions', [...byFunction.entries()], total, top));
console.log(table("top self-time functions in Switchyard's own code (dist/)", [...own.entries()], total, top));
