export { createServiceApp } from './create-app.js';
export type { ServiceAppOptions } from './create-app.js';
export { ConfigError, loadConfig, serviceEnv, tokenVerificationEnv } from './config.js';
export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { paginationQuery, parseInput, queryWholeNumber } from './validation.js';
export type { InputPart } from './validation.js';
export {
  authenticate,
  callerOf,
  claimsOf,
  requirePermission,
  requireServiceCaller,
  tokenVerifierFromEnv,
} from './auth.js';
export { createDatabase } from './database.js';
export type { Database, DatabaseOptions, Migration } from './database.js';
export { serve, runService } from './lifecycle.js';
export type { RunningService, ServeOptions } from './lifecycle.js';
export { createMetrics } from './metrics.js';
export type { ServiceMetrics } from './metrics.js';
