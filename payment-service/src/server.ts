import { runService } from '@escalable/shop-sdk/server';
import { buildApp, buildDependencies, LOG_REDACTIONS } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { startWorkers } from './workers.js';

runService({
  name: 'payment-service',
  readConfig,
  logRedactions: LOG_REDACTIONS,
  openDatabase,
  buildDependencies,
  buildApp,
  // Notifications and results left by a previous run are due, so this resumes them.
  startWorkers,
});
