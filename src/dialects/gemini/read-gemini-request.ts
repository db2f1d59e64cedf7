import { isRecord } from '../../core/index.js';
import type { GeminiRequestBody } from '../../wire/gemini/gemini-request-schema.js';
import { everyItem, isBoolean, isFiniteNumber, isNonEmptyString, isPlainRecord, isPositiveInt, isString, isStrings, isTemperature, isUnitNumber, onlyKeys, optional } from '../shared/json-shape-checks.js';

function isNonNegativeNumber(value: unknown): boolean {
  return isFiniteNumber(value) && (value as number) >= 0;
}

function isThinkingBudget(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= -1;
}

function isFunctionCall(value: unknown): boolean {
  return isPlainRecord(value) && isNonEmptyString(value.name) && optional(value.args, isPlainRecord) && optional(value.id, isString);
}

function isFunctionResponse(value: unknown): boolean {
  return isPlainRecord(value) && isNonEmptyString(value.name) && optional(value.response, isPlainRecord) && optional(value.id, isString);
}

/**
 * Other part keys (media, executable code, …) are rare and the converter refuses them, naming the part's keys in the
 * order the schema's copy holds them, so such parts are left to the schema.
 */
const PART_KEYS = new Set(['text', 'thought', 'thoughtSignature', 'functionCall', 'functionResponse']);

/** The parts agents send on every turn: text, thoughts, function calls and responses. */
function isPart(value: unknown): boolean {
  return (
    isRecord(value) &&
    onlyKeys(value, PART_KEYS) &&
    optional(value.text, isString) &&
    optional(value.thought, isBoolean) &&
    optional(value.thoughtSignature, isString) &&
    optional(value.functionCall, isFunctionCall) &&
    optional(value.functionResponse, isFunctionResponse)
  );
}

/** A system part without text is refused with its keys named in the schema's order, so only text parts are read here. */
function isSystemPart(value: unknown): boolean {
  return isPart(value) && isString((value as Record<string, unknown>).text);
}

const CONTENT_KEYS = new Set(['role', 'parts']);

function isContentRole(value: unknown): boolean {
  return value === 'user' || value === 'model';
}

function isContent(value: unknown): boolean {
  return isRecord(value) && onlyKeys(value, CONTENT_KEYS) && optional(value.role, isContentRole) && everyItem(value.parts, isPart);
}

function isSystemInstruction(value: unknown): boolean {
  return isRecord(value) && onlyKeys(value, CONTENT_KEYS) && optional(value.role, isString) && everyItem(value.parts, isSystemPart);
}

function isFunctionDeclaration(value: unknown): boolean {
  return (
    isPlainRecord(value) &&
    isNonEmptyString(value.name) &&
    optional(value.description, isString) &&
    optional(value.parameters, isPlainRecord) &&
    optional(value.parametersJsonSchema, isPlainRecord)
  );
}

function isFunctionDeclarations(value: unknown): boolean {
  return everyItem(value, isFunctionDeclaration);
}

/** Function declarations; other tool kinds (`googleSearch`, …) are keys the loose schema keeps as they are. */
function isTool(value: unknown): boolean {
  return isPlainRecord(value) && optional(value.functionDeclarations, isFunctionDeclarations);
}

function isTools(value: unknown): boolean {
  return everyItem(value, isTool);
}

const CALLING_MODES = new Set(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']);

function isCallingMode(value: unknown): boolean {
  return isString(value) && CALLING_MODES.has(value);
}

function isFunctionCallingConfig(value: unknown): boolean {
  return isPlainRecord(value) && optional(value.mode, isCallingMode) && optional(value.allowedFunctionNames, isStrings);
}

function isToolConfig(value: unknown): boolean {
  return isPlainRecord(value) && optional(value.functionCallingConfig, isFunctionCallingConfig);
}

const THINKING_LEVELS = new Set(['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH']);

function isThinkingLevel(value: unknown): boolean {
  return isString(value) && THINKING_LEVELS.has(value);
}

function isThinkingConfig(value: unknown): boolean {
  return (
    isPlainRecord(value) &&
    optional(value.thinkingBudget, isThinkingBudget) &&
    optional(value.includeThoughts, isBoolean) &&
    optional(value.thinkingLevel, isThinkingLevel)
  );
}

function isGenerationConfig(value: unknown): boolean {
  return (
    isPlainRecord(value) &&
    optional(value.temperature, isTemperature) &&
    optional(value.topP, isUnitNumber) &&
    optional(value.topK, isNonNegativeNumber) &&
    optional(value.maxOutputTokens, isPositiveInt) &&
    optional(value.stopSequences, isStrings) &&
    optional(value.seed, Number.isSafeInteger) &&
    optional(value.presencePenalty, isFiniteNumber) &&
    optional(value.frequencyPenalty, isFiniteNumber) &&
    optional(value.candidateCount, isPositiveInt) &&
    optional(value.responseMimeType, isString) &&
    optional(value.responseSchema, isPlainRecord) &&
    optional(value.responseJsonSchema, isPlainRecord) &&
    optional(value.thinkingConfig, isThinkingConfig)
  );
}

/**
 * The body as it is when it has the shape Gemini CLI and the SDKs send on every turn (text, thought, function call
 * and response parts; function declarations; tool and generation config; other top-level fields such as
 * `safetySettings`, which the schema keeps as they are) and `geminiRequestSchema` would accept it unchanged, else
 * undefined and the schema decides (and words the error). zod's shared parsers run several times slower inside the
 * gateway process than alone; this walks the same body once, without copying it.
 */
export function readGeminiRequest(body: unknown): GeminiRequestBody | undefined {
  if (!isPlainRecord(body) || !everyItem(body.contents, isContent)) return undefined;
  const fits =
    optional(body.systemInstruction, isSystemInstruction) &&
    optional(body.tools, isTools) &&
    optional(body.toolConfig, isToolConfig) &&
    optional(body.generationConfig, isGenerationConfig);
  return fits ? (body as GeminiRequestBody) : undefined;
}
