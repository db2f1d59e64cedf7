export { DEFAULT_MAX_OUTPUT_TOKENS } from './model-info.js';
export type { CatalogFormat, ModelInfo, ModelPrice } from './model-info.js';
export { cacheSavingOfUsage, costOfUsage } from './cost-of-usage.js';
export { lookupModel } from './lookup-model.js';
export { catalogFormatFor, createModelLookup } from './create-model-lookup.js';
export type { ModelInfoOverride, ModelLookup, ModelOverrides } from './create-model-lookup.js';
export { allCatalogModels, catalogModelsFor } from './catalog-models-for.js';
export { batchPriceFactor } from './batch-price.js';
