import { z } from 'zod';

/** Config keys only a `gemini` provider takes. */
export const geminiConfigKeys = {
  /** Send tool schemas as `parametersJsonSchema` (default) or sanitised OpenAPI `parameters`. */
  schema_mode: z.enum(['json-schema', 'openapi']).optional(),
};
