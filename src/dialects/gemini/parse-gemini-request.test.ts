import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import type { ParseContext } from '../dialect.js';
import { parseGeminiRequest } from './parse-gemini-request.js';

const roundtrip = JSON.parse(
  readFileSync(new URL('../../wire/gemini/__fixtures__/gemini-request-tool-roundtrip.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const generate: ParseContext = { headers: {}, params: { model: 'gemini-2.5-flash', method: 'generateContent' } };
const streamGenerate: ParseContext = { headers: {}, params: { model: 'gemini-2.5-flash', method: 'streamGenerateContent' } };

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], ...extra };
}

function userParts(...parts: unknown[]): Record<string, unknown> {
  return { contents: [{ role: 'user', parts }] };
}

function failure(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

const signature = (roundtrip.contents as Array<{ parts: Array<{ thoughtSignature?: string }> }>)[1]?.parts[0]?.thoughtSignature;

describe('parseGeminiRequest: recorded tool round trip', () => {
  it('mints call ids, keeps thoughtSignature and regroups functionResponses into one tool message', () => {
    const request = parseGeminiRequest(roundtrip, generate);
    expect(request.model).toBe('gemini-2.5-flash');
    expect(request.stream).toBe(false);
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [{ type: 'text', text: "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?" }],
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool-call',
            callId: 'call_1_0',
            name: 'weather',
            arguments: '{"latitude":"52.5200","longitude":"13.4050"}',
            providerMetadata: { gemini: { thoughtSignature: signature } },
          },
          {
            type: 'tool-call',
            callId: 'call_1_1',
            name: 'best_language_to_learn',
            arguments: '{}',
            providerMetadata: { gemini: { thoughtSignature: signature } },
          },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            callId: 'call_1_0',
            name: 'weather',
            content: [
              {
                type: 'text',
                text: '{"name":"weather","content":[{"text":"Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h"}]}',
              },
            ],
          },
          {
            type: 'tool-result',
            callId: 'call_1_1',
            name: 'best_language_to_learn',
            content: [{ type: 'text', text: '{"name":"best_language_to_learn","content":[{"text":"Ruby"}]}' }],
          },
        ],
      },
    ]);
    expect(signature).toMatch(/^CpED/);
    expect(request.passthrough).toEqual({ format: 'gemini', body: roundtrip });
  });

  it('converts OpenAPI function parameters into JSON Schema', () => {
    const request = parseGeminiRequest(roundtrip, generate);
    expect(request.tools?.[0]).toEqual({
      name: 'weather',
      description: 'Gets current weather for a location',
      parameters: {
        type: 'object',
        properties: {
          latitude: { type: 'string', description: 'Latitude (e.g., 52.5200)' },
          longitude: { type: 'string', description: 'Longitude (e.g., 13.4050)' },
        },
        required: ['latitude', 'longitude'],
      },
    });
  });

  it('matches responses to calls by id when given, else to the oldest unanswered call of that name', () => {
    const request = parseGeminiRequest(
      base({
        contents: [
          { role: 'user', parts: [{ text: 'go' }] },
          {
            role: 'model',
            parts: [
              { functionCall: { name: 'f', args: { n: 1 } } },
              { functionCall: { name: 'f', args: { n: 2 } } },
              { functionCall: { name: 'g', args: {}, id: 'given' } },
            ],
          },
          {
            role: 'user',
            parts: [
              { text: 'results follow' },
              { functionResponse: { name: 'g', id: 'given', response: { error: 'boom' } } },
              { functionResponse: { name: 'f', response: { output: 1 } } },
              { functionResponse: { name: 'f', response: { output: 2 } } },
            ],
          },
        ],
      }),
      generate,
    );
    const [tool, user] = request.messages.slice(2);
    expect(tool?.role).toBe('tool');
    expect(tool?.content.map((part) => (part.type === 'tool-result' ? [part.callId, part.isError ?? false] : []))).toEqual([
      ['given', true],
      ['call_1_0', false],
      ['call_1_1', false],
    ]);
    expect(user).toEqual({ role: 'user', content: [{ type: 'text', text: 'results follow' }] });
  });
});

describe('parseGeminiRequest: content and configuration', () => {
  it('maps system instruction, thoughts, images, streaming and generation config', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const request = parseGeminiRequest(
      {
        systemInstruction: { parts: [{ text: 'be brief' }] },
        contents: [
          {
            role: 'user',
            parts: [
              { text: 'look' },
              { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
              { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/a.jpg' } },
            ],
          },
          { role: 'model', parts: [{ text: 'thinking…', thought: true, thoughtSignature: 'sig' }, { text: 'ok' }, { text: '', thoughtSignature: 'tail' }] },
        ],
        generationConfig: {
          temperature: 0.3,
          topP: 0.8,
          topK: 20,
          maxOutputTokens: 256,
          stopSequences: ['END'],
          seed: 7,
          presencePenalty: 0.1,
          frequencyPenalty: 0.2,
          candidateCount: 1,
          responseMimeType: 'application/json',
          responseJsonSchema: schema,
          thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
          responseModalities: ['TEXT'],
        },
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
        cachedContent: 'cachedContents/abc',
      },
      streamGenerate,
    );
    expect(request.stream).toBe(true);
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'be brief' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/a.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'thinking…', providerMetadata: { gemini: { thoughtSignature: 'sig' } } },
          { type: 'text', text: 'ok' },
        ],
      },
    ]);
    expect(request).toMatchObject({
      temperature: 0.3,
      topP: 0.8,
      topK: 20,
      maxOutputTokens: 256,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      responseFormat: { type: 'json-schema', name: 'output', schema },
      reasoning: { enabled: true, budgetTokens: 1024 },
    });
    expect(request.providerOptions).toEqual({
      gemini: {
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
        cachedContent: 'cachedContents/abc',
        generationConfig: { responseModalities: ['TEXT'], thinkingConfig: { includeThoughts: true } },
      },
    });
  });

  it.each([
    [{ functionCallingConfig: { mode: 'AUTO' } }, { type: 'auto' }],
    [{ functionCallingConfig: { mode: 'NONE' } }, { type: 'none' }],
    [{ functionCallingConfig: { mode: 'ANY' } }, { type: 'required' }],
    [{ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } }, { type: 'tool', name: 'f' }],
  ])('maps toolConfig %j', (toolConfig, toolChoice) => {
    expect(parseGeminiRequest(base({ toolConfig }), generate).toolChoice).toEqual(toolChoice);
  });

  it('maps JSON mode with an OpenAPI responseSchema, and thinking budgets 0 and -1', () => {
    const request = parseGeminiRequest(
      base({ generationConfig: { responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', nullable: true } } }),
      generate,
    );
    expect(request.responseFormat).toEqual({ type: 'json-schema', name: 'output', schema: { type: ['object', 'null'] } });
    const withConfig = (generationConfig: Record<string, unknown>) => parseGeminiRequest(base({ generationConfig }), generate);
    expect(withConfig({ responseMimeType: 'application/json' }).responseFormat).toEqual({ type: 'json' });
    expect(withConfig({ thinkingConfig: { thinkingBudget: 0 } }).reasoning).toEqual({ enabled: false });
    expect(withConfig({ thinkingConfig: { thinkingBudget: -1, thinkingLevel: 'LOW' } }).reasoning).toEqual({
      enabled: true,
      effort: 'low',
    });
  });

  it('keeps non-function tools in providerOptions.gemini.server_tools', () => {
    const request = parseGeminiRequest(
      base({ tools: [{ googleSearch: {} }, { functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object' } }] }] }),
      generate,
    );
    expect(request.tools).toEqual([{ name: 'f', parameters: { type: 'object' } }]);
    expect(request.providerOptions).toEqual({ gemini: { server_tools: [{ googleSearch: {} }] } });
  });
});

describe('parseGeminiRequest: errors name the exact path', () => {
  it.each([
    [{ contents: [{ role: 'assistant', parts: [] }] }, 'invalid_request', 'contents[0].role'],
    [userParts({ inlineData: { mimeType: 'image/png' } }), 'invalid_request', 'contents[0].parts[0].inlineData.data'],
    [
      userParts({ inlineData: { mimeType: 'application/pdf', data: 'AA' } }),
      'unsupported_parameter',
      'contents[0].parts[0].inlineData.mimeType',
    ],
    [userParts({ text: 'a' }, { executableCode: { code: 'x' } }), 'unsupported_parameter', 'contents[0].parts[1]'],
    [userParts({ functionCall: { name: 'f', args: {} } }), 'invalid_request', 'contents[0].parts[0].functionCall'],
    [
      { contents: [{ role: 'model', parts: [{ functionResponse: { name: 'f', response: {} } }] }] },
      'invalid_request',
      'contents[0].parts[0].functionResponse',
    ],
    [base({ generationConfig: { candidateCount: 2 } }), 'unsupported_parameter', 'generationConfig.candidateCount'],
    [base({ generationConfig: { temperature: 'hot' } }), 'invalid_request', 'generationConfig.temperature'],
    [
      base({ tools: [{ functionDeclarations: [{ description: 'no name' }] }] }),
      'invalid_request',
      'tools[0].functionDeclarations[0].name',
    ],
    [
      base({ toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } }),
      'invalid_request',
      'toolConfig.functionCallingConfig.mode',
    ],
  ])('%j → %s at %s', (body, code, param) => {
    const error = failure(() => parseGeminiRequest(body, generate));
    expect(error.code).toBe(code);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message.startsWith(`${param}`)).toBe(true);
  });

  it('rejects a missing model or an unknown method from the route', () => {
    const withParams = (params: Record<string, string>) => failure(() => parseGeminiRequest(base(), { headers: {}, params }));
    expect(withParams({ method: 'generateContent' }).param).toBe('model');
    expect(withParams({ model: 'm', method: 'embedContent' }).code).toBe('invalid_request');
  });
});
