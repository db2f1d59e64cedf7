import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, GeminiOptions, Target } from '../../core/index.js';
import { GEMINI_TRANSPORT } from './gemini-transport.js';
import { geminiAdapter } from './index.js';
import { upstreamBodyText } from '../shared/upstream-body-text.js';

function makeTarget(options: GeminiOptions = {}, model = 'gemini-2.5-flash'): Target {
  return {
    provider: { id: 'gem', type: 'gemini', baseUrl: GEMINI_TRANSPORT.baseUrl, apiKey: 'AIzaTestKey', headers: { 'x-extra': '1' }, options },
    model,
  };
}

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../wire/gemini/__fixtures__/${name}`, import.meta.url), 'utf8')) as T;
}

function userText(text: string): CanonicalRequest['messages'][number] {
  return { role: 'user', content: [{ type: 'text', text }] };
}

function request(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'gem/gemini-2.5-flash', stream: false, messages: [userText('Hi')], ...overrides };
}

function bodyOf(req: CanonicalRequest, target = makeTarget()): Record<string, unknown> {
  return JSON.parse(upstreamBodyText(geminiAdapter.toUpstream(req, target).body)) as Record<string, unknown>;
}

interface RecordedRequest {
  contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
  tools: Array<{ functionDeclarations: Array<{ name: string; description: string; parameters: unknown }> }>;
}

describe('gemini toUpstream', () => {
  it('warns that metadata is dropped rather than dropping it silently', () => {
    const out = geminiAdapter.toUpstream(request({ metadata: { team: 'search' } }), makeTarget());
    expect(JSON.parse(upstreamBodyText(out.body))).not.toHaveProperty('metadata');
    expect(out.warnings).toContainEqual(expect.objectContaining({ code: 'parameter_dropped', param: 'metadata' }));
  });

  it('builds the paths, auth header and extra headers for both modes, URL-encoding the model', () => {
    const plain = geminiAdapter.toUpstream(request(), makeTarget());
    expect(plain.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(plain.headers).toEqual({ 'x-goog-api-key': 'AIzaTestKey', 'content-type': 'application/json', 'x-extra': '1' });
    const streamed = geminiAdapter.toUpstream(request({ stream: true }), makeTarget({}, 'models/tuned model'));
    expect(streamed.path).toBe('/v1beta/models/tuned%20model:streamGenerateContent?alt=sse');
    expect(GEMINI_TRANSPORT).toMatchObject({ baseUrl: 'https://generativelanguage.googleapis.com', apiKeyEnv: 'GEMINI_API_KEY' });
  });

  it('translates an OpenAI-style tool round trip into the structure of the recorded Gemini request', () => {
    const canonical = fixture<CanonicalRequest>('gemini-canonical-tool-roundtrip.json');
    const recorded = fixture<RecordedRequest>('gemini-request-tool-roundtrip.json');
    const upstream = geminiAdapter.toUpstream(canonical, makeTarget());
    const body = JSON.parse(upstreamBodyText(upstream.body)) as RecordedRequest & Record<string, unknown>;

    expect(body.contents.map((c) => c.role)).toEqual(recorded.contents.map((c) => c.role));
    expect(body.contents[0]).toEqual(recorded.contents[0]);
    const [weather, language] = recorded.contents[1]?.parts ?? [];
    expect(body.contents[1]?.parts).toEqual([weather, { functionCall: language?.functionCall }]);
    expect(body.contents[2]?.parts).toEqual([
      { functionResponse: { name: 'weather', response: { output: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h' } } },
      { functionResponse: { name: 'best_language_to_learn', response: { output: 'Ruby' } } },
    ]);
    const declarations = body.tools[0]?.functionDeclarations ?? [];
    expect(declarations.map((d) => [d.name, d.description])).toEqual(
      recorded.tools[0]?.functionDeclarations.map((d) => [d.name, d.description]),
    );
    expect(declarations[0]).toMatchObject({ parametersJsonSchema: canonical.tools?.[0]?.parameters });
    expect(body).not.toHaveProperty('generationConfig');
    expect(body).not.toHaveProperty('model');
  });

  it('sends the recorded OpenAPI parameters when the provider asks for schemaMode openapi', () => {
    const canonical = fixture<CanonicalRequest>('gemini-canonical-tool-roundtrip.json');
    const recorded = fixture<RecordedRequest>('gemini-request-tool-roundtrip.json');
    const body = bodyOf(canonical, makeTarget({ schemaMode: 'openapi' })) as unknown as RecordedRequest;
    expect(body.tools).toEqual(recorded.tools);
  });

  it('hoists system text, maps roles, merges same-role turns and keeps only signed Gemini reasoning', () => {
    const body = bodyOf(
      request({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
          userText('one'),
          userText('two'),
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'anthropic thinking', signature: 'anthropic-sig' },
              { type: 'reasoning', text: 'gemini thought', signature: 'g-sig', providerMetadata: { gemini: {} } },
              { type: 'text', text: 'Hello' },
            ],
          },
          { role: 'assistant', content: [{ type: 'reasoning', text: 'unsigned', providerMetadata: { gemini: {} } }] },
        ],
      }),
    );
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'one' }, { text: 'two' }] },
      { role: 'model', parts: [{ text: 'gemini thought', thought: true, thoughtSignature: 'g-sig' }, { text: 'Hello' }] },
    ]);
  });

  it('sends images inline or as fileData with a guessed MIME type and a translation warning', () => {
    const upstream = geminiAdapter.toUpstream(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.webp?size=2' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/photo' } },
            ],
          },
        ],
      }),
      makeTarget(),
    );
    const body = JSON.parse(upstreamBodyText(upstream.body)) as { contents: Array<{ parts: unknown[] }> };
    expect(body.contents[0]?.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=2' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/photo' } },
    ]);
    expect(upstream.warnings.filter((w) => w.code === 'parameter_translated').map((w) => w.param)).toEqual([
      'messages[0].content[1]',
      'messages[0].content[2]',
    ]);
  });

  it('echoes a Gemini-given call id, parses JSON tool output, and reports errors under "error"', () => {
    const body = bodyOf(
      request({
        messages: [
          userText('go'),
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', callId: 'fc-1', name: 'lookup', arguments: '', providerMetadata: { gemini: { id: 'fc-1' } } },
              { type: 'tool-call', callId: 'call_x_1', name: 'fail', arguments: '{"q":1}' },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', callId: 'fc-1', content: [{ type: 'text', text: '{"temp":15}' }] },
              { type: 'tool-result', callId: 'call_x_1', content: [{ type: 'text', text: 'boom' }], isError: true },
            ],
          },
          userText('and?'),
        ],
      }),
    );
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'go' }] },
      { role: 'model', parts: [{ functionCall: { name: 'lookup', args: {}, id: 'fc-1' } }, { functionCall: { name: 'fail', args: { q: 1 } } }] },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'lookup', response: { temp: 15 }, id: 'fc-1' } },
          { functionResponse: { name: 'fail', response: { error: 'boom' } } },
          { text: 'and?' },
        ],
      },
    ]);
  });

  it('rejects a tool result whose name cannot be found, naming the field', () => {
    const req = request({
      messages: [userText('x'), { role: 'tool', content: [{ type: 'tool-result', callId: 'nope', content: [] }] }],
    });
    expect(() => geminiAdapter.toUpstream(req, makeTarget())).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'messages[1].content[0].name' }),
    );
  });

  it('maps tool choice, sampling, JSON schema output and reasoning effort into toolConfig and generationConfig', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const upstream = geminiAdapter.toUpstream(
      request({
        tools: [{ name: 'f', parameters: { type: 'object', properties: {} } }],
        toolChoice: { type: 'tool', name: 'f' },
        parallelToolCalls: false,
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 256,
        stop: ['END'],
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.3,
        responseFormat: { type: 'json-schema', name: 'out', schema },
        reasoning: { effort: 'medium' },
      }),
      makeTarget(),
    );
    const body = JSON.parse(upstreamBodyText(upstream.body)) as Record<string, unknown>;
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } });
    expect(body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stopSequences: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
      thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
    });
    expect(upstream.warnings).toEqual([expect.objectContaining({ code: 'parameter_dropped', param: 'parallel_tool_calls' })]);
  });

  it.each([
    [{ type: 'auto' }, 'AUTO'],
    [{ type: 'none' }, 'NONE'],
    [{ type: 'required' }, 'ANY'],
  ] as const)('maps tool choice %o to mode %s', (toolChoice, mode) => {
    const body = bodyOf(request({ tools: [{ name: 'f', parameters: { type: 'object' } }], toolChoice }));
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode } });
  });

  it('uses an explicit thinking budget, and budget 0 when reasoning is disabled', () => {
    const budget = bodyOf(request({ reasoning: { budgetTokens: 2048, effort: 'high' }, responseFormat: { type: 'json' } }));
    expect(budget.generationConfig).toEqual({
      responseMimeType: 'application/json',
      thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
    });
    const off = bodyOf(request({ reasoning: { enabled: false } }));
    expect(off.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } });
  });

  it('merges providerOptions.gemini and warns about options meant for other formats', () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }];
    const upstream = geminiAdapter.toUpstream(
      request({
        temperature: 1,
        providerOptions: {
          gemini: { safetySettings, cachedContent: 'cachedContents/abc', generationConfig: { candidateCount: 1 } },
          openai: { logprobs: true },
        },
      }),
      makeTarget(),
    );
    const body = JSON.parse(upstreamBodyText(upstream.body)) as Record<string, unknown>;
    expect(body).toMatchObject({ safetySettings, cachedContent: 'cachedContents/abc', generationConfig: { temperature: 1, candidateCount: 1 } });
    expect(upstream.warnings).toEqual([expect.objectContaining({ code: 'parameter_dropped', param: 'providerOptions.openai' })]);
  });

  it('forwards a Gemini-format client body untouched', () => {
    const passthroughBody = { contents: [{ role: 'user', parts: [{ text: 'raw' }] }], safetySettings: [] };
    const upstream = geminiAdapter.toUpstream(
      request({ stream: true, passthrough: { format: 'gemini', body: passthroughBody } }),
      makeTarget(),
    );
    expect(JSON.parse(upstreamBodyText(upstream.body))).toEqual(passthroughBody);
    expect(upstream.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });
});
