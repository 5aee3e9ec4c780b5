import { createLogger, runService, serve } from '@escalable/shop-sdk/server';
import { buildApp, LOG_REDACTIONS } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { startGuestCartExpiry } from './domain/guest-cart-expiry.js';

runService('cart-service', async () => {
  const config = readConfig();
  const logger = createLogger('cart-service', config.LOG_LEVEL, { redact: LOG_REDACTIONS });
  const db = openDatabase(config.DATABASE_URL, config.DB_POOL_MAX, logger);
  // Built before migrating: a token-verification setting that is missing fails here, in one line.
  const app = buildApp({ config, db, logger });
  await db.migrate();
  const expiry = startGuestCartExpiry({
    ttlDays: config.CART_GUEST_TTL_DAYS,
    intervalMs: config.CART_EXPIRY_INTERVAL_MS,
    logger,
  });
  await serve({
    app,
    host: config.HOST,
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: async () => {
      await expiry.stop();
      await db.close();
    },
  });
});
