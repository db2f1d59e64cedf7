export { anthropicAdapter } from './anthropic-adapter.js';
export { ANTHROPIC_DEFAULTS, JSON_OUTPUT_TOOL_NAME } from './anthropic-settings.js';
