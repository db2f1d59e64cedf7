import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/core/index.js';
import type { FakeFormat, Script } from '../fakes/index.js';
import { startChaosRig, UPSTREAM_MODEL, type ChaosRig } from './chaos-rig.js';
import { anthropicClient, askAnthropic, askGemini, geminiClient, type CrossOutcome } from './cross-format-clients.js';
import type { Mode } from './fault-cases.js';

const BACKUP_TEXT = 'Backup answer from the other format.';
const ALIVE_TEXT = 'Still alive.';
const TEXT = 'one two three four five six';
const TEST_BOUND_MS = 6000;

interface CrossFault {
  name: string;
  script: Script;
  /** Whether the fault lands after content reached the client (streaming only). */
  afterContent: Record<Mode, boolean>;
  /** The normalised reason each attempt records when the fault lands before content. */
  reason(primary: FakeFormat, mode: Mode): ErrorCode;
}

/** A non-streaming reply cut off after HTTP 200 is a broken body, whatever the in-band event would have said. */
const inBandReason = (_primary: FakeFormat, mode: Mode): ErrorCode => (mode === 'stream' ? 'upstream_overloaded' : 'upstream_connection_error');

const FAULTS: CrossFault[] = [
  {
    name: 'HTTP 529',
    script: { kind: 'error', status: 529 },
    afterContent: { stream: false, 'non-stream': false },
    // One status table for every provider: 529 (Anthropic's overloaded) means overloaded whoever sends it.
    reason: () => 'upstream_overloaded',
  },
  {
    name: 'in-band error before content',
    script: { kind: 'error-after-start', chunksBefore: 0, text: TEXT },
    afterContent: { stream: false, 'non-stream': false },
    reason: inBandReason,
  },
  {
    name: 'in-band error after content',
    script: { kind: 'error-after-start', chunksBefore: 2, text: TEXT },
    afterContent: { stream: true, 'non-stream': false },
    reason: inBandReason,
  },
];

interface Pairing {
  client: 'Anthropic SDK' | 'Gemini SDK';
  primary: FakeFormat;
  backup: FakeFormat;
}

const PAIRINGS: Pairing[] = [
  { client: 'Anthropic SDK', primary: 'anthropic', backup: 'gemini' },
  { client: 'Gemini SDK', primary: 'gemini', backup: 'anthropic' },
];

describe.each(PAIRINGS)('chaos cross-format: $client, $primary primary → $backup fallback', (pairing) => {
  let rig: ChaosRig;
  const primaryModel = UPSTREAM_MODEL[pairing.primary];

  beforeAll(async () => {
    rig = await startChaosRig({
      primary: pairing.primary,
      backup: pairing.backup,
      models: `
  with-fallback: { targets: [{ provider: primary, model: ${primaryModel} }, { provider: backup, model: ${UPSTREAM_MODEL[pairing.backup]} }] }
  alone: { targets: [{ provider: primary, model: ${primaryModel} }] }
`,
    });
    rig.backup.setDefault({ kind: 'text', text: BACKUP_TEXT });
  });
  afterAll(async () => {
    await rig.close();
  });

  function ask(model: string, mode: Mode): Promise<CrossOutcome> {
    const stream = mode === 'stream';
    if (pairing.client === 'Anthropic SDK') return askAnthropic(anthropicClient(rig.gateway.url), model, stream);
    return askGemini(geminiClient(rig.gateway.url), model, stream);
  }

  async function expectStillServing(): Promise<void> {
    rig.primary.enqueue({ kind: 'text', text: ALIVE_TEXT });
    const outcome = await ask('alone', 'non-stream');
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(ALIVE_TEXT);
  }

  describe.each(FAULTS)('$name', (fault) => {
    it.each<Mode>(['stream', 'non-stream'])('%s, with a fallback in the other format', async (mode) => {
      const late = fault.afterContent[mode];
      const backupSeen = rig.backup.requests.length;
      rig.primary.enqueue(...Array.from({ length: late ? 1 : 2 }, () => fault.script));
      const outcome = await ask('with-fallback', mode);
      if (late) {
        expect(outcome.midStream).toBe(true);
        expect(outcome.error).toBeDefined();
        expect(outcome.text).not.toBe('');
        expect(TEXT.startsWith(outcome.text)).toBe(true);
        expect(outcome.attempts).toBe(1);
        expect(rig.backup.requests.length).toBe(backupSeen);
      } else {
        expect(outcome.error).toBeUndefined();
        expect(outcome.text).toBe(BACKUP_TEXT);
        expect(outcome.attempts).toBe(3);
        expect(rig.backup.requests.length).toBe(backupSeen + 1);
      }
      await expectStillServing();
    }, TEST_BOUND_MS);

    it.each<Mode>(['stream', 'non-stream'])('%s, without a fallback', async (mode) => {
      const late = fault.afterContent[mode];
      rig.primary.enqueue(...Array.from({ length: late ? 1 : 2 }, () => fault.script));
      const outcome = await ask('alone', mode);
      expect(outcome.error).toBeDefined();
      expect(outcome.midStream).toBe(late);
      if (!late) {
        expect(outcome.error?.status).toBe(502);
        const reason = fault.reason(pairing.primary, mode);
        expect(outcome.error?.message).toContain(`1) primary/${primaryModel}: ${reason}`);
        expect(outcome.error?.message).toContain(`2) primary/${primaryModel}: ${reason}`);
      }
      await expectStillServing();
    }, TEST_BOUND_MS);
  });
});
