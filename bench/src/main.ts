import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startHarness } from './harness.js';
import { parseBenchArgs } from './parse-args.js';
import { renderFloorsTable, renderLayersTable, renderTable, type BenchReport } from './report.js';
import { runBatchBeside } from './scenarios/batch-beside.js';
import { runFailover } from './scenarios/failover.js';
import { runFloors } from './scenarios/floors.js';
import { runGovernanceCost } from './scenarios/governance-cost.js';
import { runLayers } from './scenarios/layers.js';
import { runOverhead } from './scenarios/overhead.js';
import { runRoutingSimulation } from './scenarios/routing-sim.js';
import { runSlowStreams } from './scenarios/slow-streams.js';
import { runSoak } from './scenarios/soak.js';
import { runStreams } from './scenarios/streams.js';
import { runThroughput } from './scenarios/throughput.js';
import { runWorkers } from './scenarios/workers.js';

const args = parseBenchArgs(process.argv.slice(2), process.env);
const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const log = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`);
};

// The routing simulation is pure computation: it needs no gateway, upstreams or harness.
if (args.scenarios.includes('routing-sim')) {
  console.log(runRoutingSimulation());
  if (args.scenarios.length === 1) process.exit(0);
  args.scenarios = args.scenarios.filter((scenario) => scenario !== 'routing-sim');
}

const harness = await startHarness({
  portkey: args.portkey,
  switchyardExecArgv: (name) => (args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${resultsDir}`, `--cpu-prof-name=${name}-${stamp}.cpuprofile`] : []),
});
if (harness.portkeyNote) log(`Portkey not measured: ${harness.portkeyNote}`);
log(`targets: ${harness.targets.map((t) => `${t.name} ${t.origin}`).join(', ')}`);
const cpu = cpus();
const report: BenchReport = {
  startedAt: new Date().toISOString(),
  machine: { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform, loadAverageStart: loadavg() },
  ...(harness.portkeyNote ? { portkeyNote: harness.portkeyNote } : {}),
};
const q = args.quick;
try {
  for (const scenario of args.scenarios) {
    log(`running ${scenario}…`);
    if (scenario === 'overhead') report.overhead = await runOverhead(harness, { rounds: q ? 3 : 7, roundMs: q ? 500 : 1500, warmupMs: q ? 500 : 1500 });
    if (scenario === 'throughput') report.throughput = await runThroughput(harness, 'chat', { connections: 32, rounds: q ? 4 : 6, roundMs: q ? 1000 : 3000, warmupMs: q ? 500 : 1500 });
    if (scenario === 'agent') report.agent = await runThroughput(harness, 'agent', { connections: 32, rounds: q ? 4 : 6, roundMs: q ? 1000 : 3000, warmupMs: q ? 500 : 1500 });
    if (scenario === 'codex') report.codex = await runThroughput(harness, 'codex', { connections: 32, rounds: q ? 4 : 6, roundMs: q ? 1000 : 3000, warmupMs: q ? 500 : 1500 });
    if (scenario === 'agent-unicode') report.agentUnicode = await runThroughput(harness, 'agent-unicode', { connections: 32, rounds: q ? 4 : 6, roundMs: q ? 1000 : 3000, warmupMs: q ? 500 : 1500 });
    if (scenario === 'translate') report.translate = await runThroughput(harness, 'translate', { connections: 32, rounds: q ? 4 : 6, roundMs: q ? 1000 : 3000, warmupMs: q ? 500 : 1500 });
    if (scenario === 'governance') {
      // Many short slices: the VM's speed moves by a quarter from one second to the next, so ten 1 s slices per pair left
      // each pair's median ±10 % off even when both sides ran the same configuration.
      const options = { pairs: q ? 2 : 3, slices: q ? 16 : 40, sliceMs: 250, warmupMs: q ? 1500 : 6000, connections: 32 };
      // The product floor's pairs say what the same duties cost at their least, in the same run (JSON only: the floor
      // does not translate).
      report.governance = [
        await runGovernanceCost(harness, 'chat', options),
        await runGovernanceCost(harness, 'translate', options),
        await runGovernanceCost(harness, 'chat', options, 'product-floor'),
      ];
    }
    if (scenario === 'streams') report.streams = await runStreams(harness, { ladder: q ? [100, 250] : [250, 500, 1000, 1500, 2000, 3000], rampMs: 1000, stallMs: 250 });
    if (scenario === 'slow-streams') report.slowStreams = await runSlowStreams(harness, { streams: q ? 100 : 1000, rampMs: 1000, stallMs: 250 });
    if (scenario === 'workers') report.workers = await runWorkers(harness, { connections: 32, rounds: q ? 3 : 5, roundMs: q ? 1000 : 3000, warmupMs: q ? 500 : 1500 });
    if (scenario === 'failover') report.failover = await runFailover(harness, { rounds: q ? 3 : 5, roundMs: q ? 500 : 1500, warmupMs: q ? 300 : 1000 });
    if (scenario === 'floors') report.floors = await runFloors(harness, { rounds: q ? 3 : 7, roundMs: q ? 500 : 1500, warmupMs: q ? 300 : 1000, streams: q ? 100 : 300, streamWarmup: q ? 300 : 2000 });
    if (scenario === 'batch-beside') {
      report.batchBeside = await runBatchBeside(harness, { rounds: q ? 3 : 7, roundMs: q ? 500 : 2000, warmupMs: q ? 300 : 1000, connections: 1, lines: q ? 2000 : 20_000 });
    }
    if (scenario === 'layers') report.layers = await runLayers(harness, { warmupMs: q ? 2000 : 5000, seconds: q ? 2 : 5 });
    if (scenario === 'soak') report.soak = await runSoak(harness, { seconds: args.soakSeconds, sampleSeconds: 5 });
  }
} finally {
  report.machine.loadAverageEnd = loadavg();
  await harness.close();
}
const file = `${resultsDir}${stamp}.json`;
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
const tables = [renderTable(report), report.floors ? renderFloorsTable(report.floors) : '', report.layers ? renderLayersTable(report.layers) : ''].filter((table) => table !== '');
console.log(tables.join('\n\n'));
const busy = Math.max(...report.machine.loadAverageStart, ...(report.machine.loadAverageEnd ?? []));
if (busy > cpu.length) console.log(`\nwarning: load average reached ${busy.toFixed(1)} on ${cpu.length} cores: other work shared the machine`);
console.log(`\nresults: ${file}`);
