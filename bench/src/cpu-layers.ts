// Splits a process's CPU by what runs it, from the leaf frames `perf script -F tid,ip,sym,dso` prints: one line per
// sample, `<tid> <ip> <symbol> (<dso>)`. Leaves only: perf's frame-pointer stacks are unreliable across Node's C++
// frames, so a native leaf is named by what it is (a V8 builtin, the runtime, libc), not charged to a JS caller.

/** Where a sample of the main thread was when it was taken; `other-threads` holds every other thread's samples. */
export const LAYERS = [
  'switchyard',
  'floor',
  'fastify',
  'undici',
  'other-packages',
  'node-js',
  'v8-builtins',
  'v8-runtime',
  'gc',
  'node-native',
  'libc',
  'kernel',
  'other-threads',
] as const;
export type Layer = (typeof LAYERS)[number];

/** What each layer holds, for the table's first column. */
export const LAYER_LABELS: Readonly<Record<Layer, string>> = {
  switchyard: "Switchyard's JS (dist/)",
  floor: "the floor's or proxy's own JS",
  fastify: 'Fastify and find-my-way JS',
  undici: 'undici JS and its llhttp wasm',
  'other-packages': 'other packages JS',
  'node-js': "Node's JS (http, streams, events, timers)",
  'v8-builtins': 'V8 builtins (property access, calls, promises)',
  'v8-runtime': 'V8 runtime C++ (JSON, objects, strings)',
  gc: 'garbage collection on the main thread',
  'node-native': "Node's C++ and libuv",
  libc: 'libc (malloc, memcpy)',
  kernel: 'kernel (system calls, TCP on loopback)',
  'other-threads': 'other threads (record store, GC helpers)',
};

/** One sample: the thread it was taken on and its leaf frame. */
export interface LeafSample {
  tid: number;
  symbol: string;
  dso: string;
}

const SAMPLE_LINE = /^\s*(\d+)\s+[0-9a-f]+\s+(.*?)\s+\(([^()]*)\)\s*$/;

/** The samples of `perf script -F tid,ip,sym,dso` output; lines of any other shape are skipped. */
export function parseLeafSamples(text: string): LeafSample[] {
  const samples: LeafSample[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE_LINE.exec(line);
    if (match) samples.push({ tid: Number(match[1]), symbol: match[2] ?? '', dso: match[3] ?? '' });
  }
  return samples;
}

const GC_SYMBOL = /Scaveng|Heap::|MarkCompact|GCTracer|Sweeper|MinorMark|ConcurrentMarking/;

function jsLayer(symbol: string): Layer {
  if (symbol.includes('/node_modules/')) {
    if (symbol.includes('/node_modules/undici/')) return 'undici';
    if (/\/node_modules\/(?:fastify|find-my-way|avvio|@fastify)\//.test(symbol)) return 'fastify';
    return 'other-packages';
  }
  if (symbol.includes('/bench/dist/')) return 'floor';
  if (symbol.includes('/dist/')) return 'switchyard';
  // undici's HTTP parser is llhttp compiled to wasm; Node's own server parser is native.
  if (symbol.startsWith('JS:wasm') || symbol.includes('wasm-to-js') || symbol.includes('js-to-wasm')) return 'undici';
  return 'node-js';
}

/** The layer of one main-thread leaf. */
export function layerOf(sample: LeafSample): Layer {
  const { symbol, dso } = sample;
  if (dso.includes('kernel.kallsyms')) return 'kernel';
  if (GC_SYMBOL.test(symbol)) return 'gc';
  if (symbol.startsWith('JS:')) return jsLayer(symbol);
  if (symbol.startsWith('Builtins_')) return 'v8-builtins';
  if (symbol.includes('v8::') || symbol.includes('Runtime_')) return 'v8-runtime';
  if (dso.includes('libc.so') || dso.includes('libm.so')) return 'libc';
  return 'node-native';
}

/**
 * CPU per request in each layer, in µs: the samples' shares applied to the CPU the process used per request (read
 * from /proc around the same window), so the profile's sampling rate and its window's edges do not scale the figures.
 */
export function layerCosts(samples: readonly LeafSample[], mainTid: number, cpuUsPerRequest: number): Record<Layer, number> {
  const counts = Object.fromEntries(LAYERS.map((layer) => [layer, 0])) as Record<Layer, number>;
  for (const sample of samples) counts[sample.tid === mainTid ? layerOf(sample) : 'other-threads'] += 1;
  const total = samples.length;
  return Object.fromEntries(LAYERS.map((layer) => [layer, total === 0 ? Number.NaN : (counts[layer] / total) * cpuUsPerRequest])) as Record<Layer, number>;
}

/**
 * A perf map (`/tmp/perf-<pid>.map`, one `<start> <size> <name>` per line, appended as V8 makes code) with the later of
 * two overlapping entries kept: V8 reuses the addresses of code it freed, and perf would otherwise name a sample
 * after whatever stale function first held the address.
 */
export function newestMapEntries(map: string): string {
  const entries = map
    .split('\n')
    .map((line) => /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ start: Number.parseInt(match[1] ?? '0', 16), size: Number.parseInt(match[2] ?? '0', 16), line: match[0] }));
  // Newest first, each kept only where no newer entry already covers part of its range; held sorted by start.
  const kept: { start: number; end: number; line: string }[] = [];
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i] as (typeof entries)[number];
    const end = entry.start + entry.size;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((kept[mid] as { start: number }).start < entry.start) low = mid + 1;
      else high = mid;
    }
    const next = kept[low];
    const previous = kept[low - 1];
    if ((next && next.start < end) || (previous && previous.end > entry.start)) continue;
    kept.splice(low, 0, { start: entry.start, end, line: entry.line });
  }
  return `${kept.map((entry) => entry.line).join('\n')}\n`;
}
