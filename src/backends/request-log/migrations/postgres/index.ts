import type { Migration } from '../migration.js';
import { createRequestLog } from './0001-create-request-log.js';
import { addRouting } from './0002-add-routing.js';
import { addCacheSaving } from './0003-add-cache-saving.js';
import { createFeedback } from './0004-create-feedback.js';
import { addCacheAndComparisons } from './0005-add-cache-and-comparisons.js';
import { createGovernance } from './0006-create-governance.js';
import { createStoredResponses } from './0008-create-stored-responses.js';
import { createBatches } from './0009-create-batches.js';
import { splitRequestBodies } from './0010-split-request-bodies.js';
import { indexFilteredErrors } from './0011-index-filtered-errors.js';
import { partitionRequestLog } from './0007-partition-request-log.js';

/** Every Postgres migration; append new versions, never edit applied ones. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  createRequestLog,
  addRouting,
  addCacheSaving,
  createFeedback,
  addCacheAndComparisons,
  createGovernance,
  partitionRequestLog,
  createStoredResponses,
  createBatches,
  splitRequestBodies,
  indexFilteredErrors,
];
