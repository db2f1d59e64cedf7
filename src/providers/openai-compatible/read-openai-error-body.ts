import { z } from 'zod';

/** The parts of an upstream error body worth looking at; never the body itself. */
export interface UpstreamErrorInfo {
  message?: string;
  type?: string;
  code?: string;
}

const codeSchema = z.union([z.string(), z.number()]).nullish();
const fieldsSchema = z.looseObject({ message: z.string().nullish(), type: z.string().nullish(), code: codeSchema });
const errorBodySchema = z.looseObject({
  // OpenAI, Groq, Qwen, DeepSeek: {error:{message,type,code}}; some servers send {error:"text"}.
  error: z.union([z.string(), fieldsSchema]).nullish(),
  // Mistral 401 {detail:"…"}; FastAPI-style validation errors {detail:[{loc,msg}]}.
  detail: z.union([z.string(), z.array(z.looseObject({ msg: z.string().nullish() }))]).nullish(),
  // Mistral {object:"error",message,type,code} and {message:"…"}.
  message: z.string().nullish(),
  type: z.string().nullish(),
  code: codeSchema,
});

function text(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return String(value);
}

function parseText(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Extracts message, type and code from any OpenAI-family error body: parsed JSON, JSON served as text (DeepSeek's
 * `application/octet-stream`), or a one-element array (Gemini's OpenAI endpoint). Non-JSON text yields nothing,
 * so proxy HTML pages never reach a client.
 */
export function readOpenAIErrorBody(body: unknown): UpstreamErrorInfo {
  let value = typeof body === 'string' ? parseText(body.trim()) : body;
  if (Array.isArray(value)) value = value[0];
  const parsed = errorBodySchema.safeParse(value);
  if (!parsed.success) return {};
  const { error, detail } = parsed.data;
  const info: UpstreamErrorInfo = {};
  const source = typeof error === 'object' && error !== null ? error : parsed.data;
  const message =
    typeof error === 'string'
      ? error
      : typeof detail === 'string'
        ? detail
        : Array.isArray(detail)
          ? (detail[0]?.msg ?? undefined)
          : source.message;
  const fields: Array<[keyof UpstreamErrorInfo, string | undefined]> = [
    ['message', text(message)],
    ['type', text(source.type)],
    ['code', text(source.code)],
  ];
  for (const [key, field] of fields) if (field !== undefined) info[key] = field;
  return info;
}
