import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectStream, responseToEvents, type CanonicalResponse } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { renderOpenAIChatResponse } from './render-openai-chat-response.js';

const context: RenderContext = { requestId: 'req_1', model: 'smart', created: 1767967901, includeUsage: false };

interface RecordedCompletion {
  choices: unknown;
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details: { cached_tokens: number };
    completion_tokens_details: { reasoning_tokens: number };
  };
}

/** The recorded body minus what the gateway deliberately does not emit (vendor extras, audio/prediction counters). */
function recordedShape(name: string): Record<string, unknown> {
  const body = JSON.parse(readFileSync(new URL(`../../wire/openai-chat/__fixtures__/${name}`, import.meta.url), 'utf8')) as RecordedCompletion;
  const { usage } = body;
  return {
    id: 'chatcmpl-req_1',
    object: 'chat.completion',
    created: context.created,
    model: 'smart',
    choices: body.choices,
    usage: {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.total_tokens,
      prompt_tokens_details: { cached_tokens: usage.prompt_tokens_details.cached_tokens },
      completion_tokens_details: { reasoning_tokens: usage.completion_tokens_details.reasoning_tokens },
    },
  };
}

describe('renderOpenAIChatResponse', () => {
  it('renders a folded text response in the recorded chat.completion shape', async () => {
    const folded = await collectStream(
      responseToEvents({
        content: [{ type: 'text', text: '2 + 2 ' }, { type: 'text', text: 'equals 4.' }],
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage: { inputTokens: 14, cacheReadTokens: 0, outputTokens: 8, reasoningTokens: 0 },
        warnings: [],
      }),
    );
    expect(renderOpenAIChatResponse(folded, context)).toEqual(recordedShape('openai-chat.json'));
  });

  it('renders parallel tool calls with null content and finish_reason tool_calls', () => {
    const response: CanonicalResponse = {
      content: [
        {
          type: 'tool-call',
          callId: 'call_4vdw7IhqK4BaPeDpUqhAJrH4',
          name: 'weather',
          arguments: '{"latitude": "52.5200", "longitude": "13.4050"}',
        },
        { type: 'tool-call', callId: 'call_UZxiYeSq6gFg9tAHAdSmNHPQ', name: 'best_language_to_learn', arguments: '{}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      usage: { inputTokens: 113, cacheReadTokens: 0, outputTokens: 54, reasoningTokens: 0 },
      warnings: [],
    };
    expect(renderOpenAIChatResponse(response, context)).toEqual(recordedShape('openai-chat-tool-calls.json'));
  });

  it('adds reasoning_content only when reasoning text exists and counts cache reads in prompt_tokens', () => {
    const body = renderOpenAIChatResponse(
      {
        content: [
          { type: 'reasoning', text: 'Let me think.' },
          { type: 'text', text: 'Done.' },
        ],
        finishReason: { unified: 'length' },
        usage: { inputTokens: 10, cacheReadTokens: 5, cacheWriteTokens: 1, outputTokens: 3, reasoningTokens: 4 },
        warnings: [],
      },
      context,
    );
    expect(body).toMatchObject({
      choices: [{ message: { content: 'Done.', reasoning_content: 'Let me think.' }, finish_reason: 'length' }],
      usage: {
        prompt_tokens: 16,
        completion_tokens: 7,
        total_tokens: 23,
        prompt_tokens_details: { cached_tokens: 5 },
        completion_tokens_details: { reasoning_tokens: 4 },
      },
    });
    const redactedOnly = renderOpenAIChatResponse(
      { content: [{ type: 'reasoning', text: '', redactedData: 'x' }], finishReason: { unified: 'stop' }, usage: {}, warnings: [] },
      context,
    );
    expect(redactedOnly).toMatchObject({ choices: [{ message: { content: '' } }] });
    expect(JSON.stringify(redactedOnly)).not.toContain('reasoning_content');
  });

  it.each([
    ['content-filter', 'content_filter'],
    ['error', 'stop'],
    ['other', 'stop'],
  ] as const)('maps finish %s to %s without exposing the raw reason', (unified, expected) => {
    const body = renderOpenAIChatResponse(
      { content: [], finishReason: { unified, raw: 'RECITATION' }, usage: {}, warnings: [] },
      context,
    );
    expect(body).toMatchObject({ choices: [{ finish_reason: expected }] });
    expect(JSON.stringify(body)).not.toContain('RECITATION');
  });

  it('reports unreported usage as zeros', () => {
    const body = renderOpenAIChatResponse({ content: [], finishReason: { unified: 'stop' }, usage: {}, warnings: [] }, context);
    expect(body).toMatchObject({ usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } });
  });
});
