import { runService } from '@escalable/shop-sdk/server';
import { buildApp, buildDependencies } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { startDeliveryWorker } from './domain/delivery-worker.js';

runService({
  name: 'notification-service',
  readConfig,
  openDatabase,
  buildDependencies,
  buildApp,
  // Deliveries left pending or leased by a previous run are due, so this resumes them.
  startWorkers: ({ config, deps }) => startDeliveryWorker(deps, { intervalMs: config.DELIVERY_INTERVAL_MS }),
  releaseDependencies: (deps) => deps.email.close(),
});
