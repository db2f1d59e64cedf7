import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_TABLE } from '../../src/core/index.js';
import { startFakeUpstream, type FakeUpstream, type Script } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { CONFORMANCE_CASES } from './conformance-cases.js';
import type { ClientReply, ConformanceCase, Expectation, Ingress, ProviderRow } from './conformance-types.js';
import { anthropicIngress } from './ingress-anthropic.js';
import { geminiIngress } from './ingress-gemini.js';
import { openAiIngress } from './ingress-openai.js';
import { responsesIngress } from './ingress-responses.js';
import { PROVIDER_ROWS } from './provider-rows.js';

/** Every client SDK the matrix drives; a new ingress is one more entry. */
const INGRESSES: readonly Ingress[] = [openAiIngress, responsesIngress, anthropicIngress, geminiIngress];

const PROVIDER_ID = 'up';
const NO_UPSTREAM = 'the simulated provider runs in process: there is no upstream request to inspect';

/** One model alias per case, so the simulated row can give each case its own behaviour. */
function gatewayConfig(row: ProviderRow, fakeUrl: string): string {
  const provider: Record<string, unknown> = row.providerConfig(fakeUrl);
  if (!row.fake) {
    provider.simulated = { models: Object.fromEntries(CONFORMANCE_CASES.map((c) => [c.id, c.upstream.simulated])) };
  }
  const models = Object.fromEntries(
    CONFORMANCE_CASES.map((c) => [c.id, { targets: [{ provider: PROVIDER_ID, model: row.fake ? row.upstreamModel : c.id }] }]),
  );
  // JSON is YAML, so the config is written as data.
  return JSON.stringify({ defaults: { retry: { attempts: 1 } }, providers: { [PROVIDER_ID]: provider }, models });
}

function scriptFor(caseDef: ConformanceCase, row: ProviderRow): Script {
  const script = (row.fake && caseDef.upstream.scriptFor?.[row.fake]) ?? caseDef.upstream.script;
  if (!script) throw new Error(`case ${caseDef.id} has no fake script`);
  return script;
}

function assertReply(reply: ClientReply, expected: Extract<Expectation, { kind: 'reply' }>, ingress: Ingress, row: ProviderRow): void {
  if (expected.text !== undefined) expect(reply.text).toBe(expected.text);
  if (expected.json !== undefined) expect(JSON.parse(reply.text)).toEqual(expected.json);
  if (expected.toolCalls) {
    expect(reply.toolCalls.map(({ name, args }) => ({ name, args }))).toEqual(expected.toolCalls);
    if (ingress.toolCallIds) {
      const ids = reply.toolCalls.map((call) => call.id);
      expect(ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      if (row.givesToolCallIds && expected.toolCallIds) expect(ids).toEqual(expected.toolCallIds);
    }
  }
  expect(reply.finish).toBe(ingress.finishNames[expected.finish]);
  const usage = expected.usage;
  if (!usage) return;
  expect(reply.usage.input).toBe(usage.input);
  expect(reply.usage.output).toBe(usage.output);
  if (usage.cacheRead !== undefined) expect(reply.usage.cacheRead).toBe(usage.cacheRead);
  if (usage.reasoning !== undefined && ingress.reportsReasoningTokens && row.reportsReasoningTokens) {
    expect(reply.usage.reasoning).toBe(usage.reasoning);
  }
}

async function runCase(caseDef: ConformanceCase, ingress: Ingress, row: ProviderRow, gateway: TestGateway, fake: FakeUpstream | undefined): Promise<void> {
  const first = fake?.requests.length ?? 0;
  fake?.enqueue(scriptFor(caseDef, row));
  const seen: string[] = [];
  const outcome = await ingress.send(gateway.url, caseDef.id, caseDef.request, seen).then(
    (reply) => ({ ok: true as const, reply }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const expected = caseDef.expect;
  if (expected.kind === 'reply') {
    if (!outcome.ok) throw outcome.error;
    assertReply(outcome.reply, expected, ingress, row);
  } else {
    expect(outcome.ok, 'the client must see a failure').toBe(false);
    const error = outcome.ok ? undefined : outcome.error;
    expect(ingress.isSdkError(error), String(error)).toBe(true);
    const described = ingress.describeError(error);
    if (row.apiKey !== '') expect(described.message).not.toContain(row.apiKey);
    if (expected.kind === 'error') {
      expect(described.status).toBe(ERROR_TABLE[expected.code].status);
      expect(described.type).toBe(ingress.errorType(expected.code));
      if (expected.retryAfter === true && described.retryAfter !== undefined) expect(described.retryAfter).toMatch(/^[1-9]\d*$/);
    } else {
      expect(seen.join('').trim()).toBe(expected.textBefore);
    }
  }
  if (!fake) return;
  const sent = fake.requests.slice(first);
  expect(sent).toHaveLength(1);
  const request = sent[0];
  if (!request) return;
  row.common(request, caseDef);
  row.checks[caseDef.upstreamCheck ?? caseDef.id]?.(request);
}

for (const row of PROVIDER_ROWS) {
  for (const ingress of INGRESSES) {
    describe(`${ingress.name} → ${row.name} provider`, () => {
      let fake: FakeUpstream | undefined;
      let gateway: TestGateway;

      beforeAll(async () => {
        if (row.fake) fake = await startFakeUpstream(row.fake);
        gateway = await startTestGateway(gatewayConfig(row, fake?.url ?? ''));
      });
      afterAll(async () => {
        await gateway.close();
        await fake?.close();
      });

      if (!row.fake) it.skip(`upstream assertions (skipped: ${NO_UPSTREAM})`, () => undefined);
      for (const caseDef of CONFORMANCE_CASES) {
        const reason = caseDef.skip?.[row.name] ?? (row.fake && caseDef.knownBug !== undefined ? `known bug: ${caseDef.knownBug}` : undefined);
        if (reason !== undefined) {
          it.skip(`${caseDef.title} (skipped: ${reason})`, () => undefined);
          continue;
        }
        it(caseDef.title, async () => {
          await runCase(caseDef, ingress, row, gateway, fake);
        });
      }
    });
  }
}
