export { DEFAULT_MAX_OUTPUT_TOKENS } from './model-info.js';
export type { CatalogFormat, ModelInfo } from './model-info.js';
export { lookupModel } from './lookup-model.js';
