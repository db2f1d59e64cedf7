export { openAIResponsesDialect } from './openai-responses-dialect.js';
