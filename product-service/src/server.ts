import { runService } from '@escalable/shop-sdk/server';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { startExpirySweeper } from './domain/reservation-expiry.js';

runService({
  name: 'product-service',
  readConfig,
  openDatabase,
  buildApp,
  startWorkers: ({ config, logger }) => startExpirySweeper(config.RESERVATION_SWEEP_INTERVAL_MS, logger),
});
