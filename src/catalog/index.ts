export { DEFAULT_MAX_OUTPUT_TOKENS } from './model-info.js';
export type { CatalogFormat, ModelInfo } from './model-info.js';
export { lookupModel } from './lookup-model.js';
export { catalogFormatFor, createModelLookup } from './create-model-lookup.js';
export type { ModelInfoOverride, ModelLookup, ModelOverrides } from './create-model-lookup.js';
