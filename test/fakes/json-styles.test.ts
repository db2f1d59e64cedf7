import { describe, expect, it } from 'vitest';
import {
  stringifyGeminiEvent,
  stringifyPretty2,
  stringifyPretty4,
  stringifyToolArguments,
} from './json-styles.js';
import { fixtureText } from './recorded-fixtures.js';

function roundTrips(name: string, serialize: (value: unknown) => string): void {
  const recorded = fixtureText(name);
  expect(serialize(JSON.parse(recorded))).toBe(recorded);
}

describe('serializers reproduce the recorded bytes', () => {
  it('OpenAI success bodies are two-space pretty JSON with a trailing newline', () => {
    roundTrips('openai-chat.json', stringifyPretty2);
    roundTrips('openai-chat-tool-calls.json', stringifyPretty2);
  });

  it('OpenAI error bodies are four-space pretty JSON with a trailing newline', () => {
    roundTrips('openai-error-401.json', stringifyPretty4);
    roundTrips('openai-error-429.json', stringifyPretty4);
  });

  it('Anthropic bodies are compact JSON without a trailing newline', () => {
    for (const name of ['anthropic-messages.json', 'anthropic-tool-use.json', 'anthropic-error-529.json']) {
      roundTrips(name, (value) => JSON.stringify(value));
    }
  });

  it('Gemini bodies are two-space pretty JSON with a trailing newline', () => {
    for (const name of ['gemini-generate.json', 'gemini-function-call.json', 'gemini-error-429.json']) {
      roundTrips(name, stringifyPretty2);
    }
  });

  it('Gemini SSE events use ": " after keys and bare commas', () => {
    for (const name of ['gemini-stream.sse', 'gemini-function-call-stream.sse']) {
      const payloads = fixtureText(name)
        .split('\r\n\r\n')
        .filter((event) => event.startsWith('data: '))
        .map((event) => event.slice('data: '.length));
      expect(payloads.length).toBeGreaterThan(0);
      for (const payload of payloads) expect(stringifyGeminiEvent(JSON.parse(payload))).toBe(payload);
    }
  });

  it('tool arguments use the spaced style the models produced', () => {
    const recorded = '{"latitude": "52.5200", "longitude": "13.4050"}';
    expect(stringifyToolArguments(JSON.parse(recorded))).toBe(recorded);
    expect(stringifyToolArguments({})).toBe('{}');
  });
});
