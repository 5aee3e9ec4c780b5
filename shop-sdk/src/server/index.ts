export { createServiceApp } from './create-app.js';
export type { ServiceAppOptions, TextBodyRoute } from './create-app.js';
export {
  ConfigError,
  loadConfig,
  outboxEnv,
  outboxSettings,
  serviceEnv,
  tokenVerificationEnv,
} from './config.js';
export { createLogger, serializeError } from './logger.js';
export type { Logger, LoggerOptions, LoggedError } from './logger.js';
export { paginationQuery, parseInput, pathParam, queryWholeNumber } from './validation.js';
export { assertAcceptableInput, MAX_INPUT_DEPTH, MAX_INPUT_ENTRIES } from './input-walk.js';
export type { InputPart } from './input-walk.js';
export {
  countryCode,
  currencyCode,
  INTEGER_MAX,
  money,
  phoneNumber,
  positiveInt,
  serviceUrls,
  shippingAddress,
  uuid,
} from './schemas.js';
export {
  assertPermission,
  authenticate,
  authenticateOptional,
  callerOf,
  claimsOf,
  hasPermission,
  optionalClaimsOf,
  requirePermission,
  requireServiceCaller,
  tokenVerifierFromEnv,
} from './auth.js';
export { createDatabase, REQUEST_SESSION_OPTIONS } from './database.js';
export type { Database, DatabaseOptions, Migration } from './database.js';
export { constraintProblems } from './constraint-problems.js';
export type { ConstraintProblems, ConstraintProblemTable } from './constraint-problems.js';
export { startPeriodicJob } from './periodic-job.js';
export { wakeAfterCommit } from './commit-wake.js';
export type { PeriodicJob, PeriodicJobOptions } from './periodic-job.js';
export { serve, runService, startService } from './lifecycle.js';
export type { BootSettings, RunningService, ServeOptions, ServiceBuild, ServiceParts } from './lifecycle.js';
export { createMetrics } from './metrics.js';
export type { ServiceMetrics } from './metrics.js';
export { createOutboxTable, dropOutboxTable } from './outbox-table.js';
export type { OutboxTableOptions } from './outbox-table.js';
export { enqueueOutbox } from './outbox.js';
export type { EnqueueOutboxOptions, OutboxMessage } from './outbox.js';
export type { OutboxMethod } from './outbox-rows.js';
export { startOutboxDispatcher } from './outbox-dispatcher.js';
export type { OutboxDispatcher, OutboxDispatcherOptions } from './outbox-dispatcher.js';
export { apiRoutes, openApiDocument, openApiPath, serveOpenApi } from './openapi.js';
export type {
  ApiAccess,
  ApiDocumentInfo,
  ApiHeader,
  ApiMethod,
  ApiRoute,
  OpenApiDocument,
} from './openapi.js';
export { openApiFindings, publicRoutesOf } from './openapi-coverage.js';
