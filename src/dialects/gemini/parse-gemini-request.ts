import { GatewayError, type CanonicalRequest, isRecord } from '../../core/index.js';
import type { ParseContext } from '../dialect.js';
import { toCanonicalMessages } from './convert-gemini-contents.js';
import { fromGenerationConfig } from './convert-gemini-generation-config.js';
import { toCanonicalToolChoice, toCanonicalTools } from './convert-gemini-tools.js';
import { geminiRequestSchema, KNOWN_REQUEST_FIELDS, type GeminiRequestBody } from '../../wire/gemini/gemini-request-schema.js';
import { toValidationError } from '../shared/to-validation-error.js';
import { readGeminiRequest } from './read-gemini-request.js';

const METHODS: ReadonlySet<string> = new Set(['generateContent', 'streamGenerateContent']);

function routeOf(context: ParseContext): { model: string; stream: boolean } {
  const { model, method } = context.params;
  if (model === undefined || model === '') {
    throw new GatewayError('invalid_request', 'model: the URL must name a model (models/{model}:generateContent)', {
      param: 'model',
    });
  }
  if (method === undefined || !METHODS.has(method)) {
    const message = `Unsupported method "${method ?? ''}"; use generateContent or streamGenerateContent`;
    throw new GatewayError('invalid_request', message);
  }
  return { model, stream: method === 'streamGenerateContent' };
}

function validateWithSchema(raw: Record<string, unknown>): GeminiRequestBody {
  const parsed = geminiRequestSchema.safeParse(raw);
  if (!parsed.success) throw toValidationError(parsed.error);
  return parsed.data;
}

/**
 * Parses a Gemini `generateContent` / `streamGenerateContent` body; the model and method come from
 * `context.params`. Throws GatewayError('invalid_request' | 'unsupported_parameter') naming the offending field.
 */
export function parseGeminiRequest(body: unknown, context: ParseContext): CanonicalRequest {
  const { model, stream } = routeOf(context);
  if (!isRecord(body)) throw new GatewayError('invalid_request', 'The request body must be a JSON object');
  const data = readGeminiRequest(body) ?? validateWithSchema(body);

  const request: CanonicalRequest = {
    model,
    messages: toCanonicalMessages(data.systemInstruction, data.contents),
    stream,
    passthrough: { format: 'gemini', body },
  };
  const providerOptions: Record<string, unknown> = Object.fromEntries(
    Object.entries(data).filter(([key]) => !KNOWN_REQUEST_FIELDS.has(key)),
  );

  if (data.tools) {
    const { tools, serverTools } = toCanonicalTools(data.tools);
    if (tools.length > 0) request.tools = tools;
    if (serverTools.length > 0) providerOptions.server_tools = serverTools;
  }
  if (data.toolConfig) {
    const { toolChoice, keepOriginal } = toCanonicalToolChoice(data.toolConfig);
    if (toolChoice) request.toolChoice = toolChoice;
    if (keepOriginal) providerOptions.toolConfig = data.toolConfig;
  }
  if (data.generationConfig) {
    const { fields, unmapped } = fromGenerationConfig(data.generationConfig);
    Object.assign(request, fields);
    if (Object.keys(unmapped).length > 0) providerOptions.generationConfig = unmapped;
  }
  if (Object.keys(providerOptions).length > 0) request.providerOptions = { gemini: providerOptions };
  return request;
}
