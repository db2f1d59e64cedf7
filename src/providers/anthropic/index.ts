export { anthropicAdapter } from './anthropic-adapter.js';
export { JSON_OUTPUT_TOOL_NAME } from './anthropic-settings.js';
