import { runService } from '@escalable/shop-sdk/server';
import { buildApp, LOG_REDACTIONS } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { startGuestCartExpiry } from './domain/guest-cart-expiry.js';

runService({
  name: 'cart-service',
  readConfig,
  logRedactions: LOG_REDACTIONS,
  openDatabase,
  buildApp,
  startWorkers: ({ config, logger }) =>
    startGuestCartExpiry({
      ttlDays: config.CART_GUEST_TTL_DAYS,
      intervalMs: config.CART_EXPIRY_INTERVAL_MS,
      logger,
    }),
});
