import { DEFAULT_BANDIT } from '../../../dist/config/gateway-config.js';
import { requestsUntilMovedOff, simulateRouting, standardScenario, type RoutingPolicy } from '../../../dist/routing/routing-simulation.js';

const ROWS: Array<[RoutingPolicy, string]> = [
  ['fallback', 'fallback (config order: frontier first)'],
  ['cost', 'cost (rankByCost)'],
  ['latency', 'latency (rankByLatency, exploration 0.05)'],
  ['always-best', 'always-best quality'],
  ['oracle', 'oracle (best objective, knows the drift)'],
  ['bandit', 'bandit (default settings)'],
];

/**
 * The routing simulation: one seeded workload (frontier, mid and small simulated targets; mid's quality drops half
 * way), each policy over it, and the bandit's quality, cost and regret against the oracle. Pure computation, no gateway:
 * cost, latency and bandit run the gateway's own strategy functions on simulated statistics.
 */
export function runRoutingSimulation(): string {
  const scenario = standardScenario(DEFAULT_BANDIT);
  const best = simulateRouting(scenario, 'always-best');
  const oracle = simulateRouting(scenario, 'oracle');
  const lines = [
    `routing-sim: ${scenario.requests} requests, seed ${scenario.seed}, feedback on ${scenario.feedbackRate * 100} %; ` +
      `targets ${scenario.targets.map((t) => `${t.id} (quality ${t.quality}, $${t.costUsd}/req, ${t.latencyMs} ms)`).join(', ')}; ` +
      `from request ${scenario.drift?.at} ${scenario.drift?.target}'s quality drops to ${scenario.drift?.quality}`,
    '',
    '| policy | mean quality | vs always-best | cost (USD) | vs oracle cost | mean latency (ms) | regret |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [policy, label] of ROWS) {
    const outcome = policy === 'oracle' ? oracle : policy === 'always-best' ? best : simulateRouting(scenario, policy);
    lines.push(
      `| ${label} | ${outcome.meanQuality.toFixed(3)} | ${((outcome.meanQuality / best.meanQuality) * 100).toFixed(1)} % | ` +
        `${outcome.totalCostUsd.toFixed(2)} | ${(((outcome.totalCostUsd - oracle.totalCostUsd) / oracle.totalCostUsd) * 100).toFixed(1)} % | ` +
        `${outcome.meanLatencyMs.toFixed(0)} | ${outcome.regret.toFixed(1)} |`,
    );
  }
  const bandit = simulateRouting(scenario, 'bandit');
  const drift = scenario.drift;
  if (drift) {
    const moved = requestsUntilMovedOff(bandit.chosen, drift.target, drift.at);
    lines.push('', `bandit: most traffic (trailing 50 requests) off ${drift.target} ${moved === undefined ? 'never' : `${moved} requests after its quality dropped`}`);
  }
  return lines.join('\n');
}
