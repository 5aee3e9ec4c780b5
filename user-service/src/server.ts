import { createLogger, createMetrics, runService, serve } from '@escalable/shop-sdk/server';
import { buildApp, LOG_REDACTIONS, startOutboxDelivery } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { ensureAdmin } from './domain/admin-bootstrap.js';
import { loadSigningKeys } from './domain/signing-keys.js';

runService('user-service', async () => {
  const config = readConfig();
  const logger = createLogger('user-service', config.LOG_LEVEL, { redact: LOG_REDACTIONS });
  const keys = loadSigningKeys(config.JWT_PRIVATE_KEY, config.JWT_RETIRED_PUBLIC_KEYS);
  const db = openDatabase(config.DATABASE_URL, config.DB_POOL_MAX, logger);
  await db.migrate();
  if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
    await ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD, logger);
  }
  const metrics = createMetrics('user-service');
  const outbox = startOutboxDelivery({ config, db, logger, metrics });
  await serve({
    app: buildApp({ config, db, keys, logger, metrics }),
    host: config.HOST,
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    onShutdown: async () => {
      // Sends in flight are recorded before the pool closes, so none is repeated needlessly.
      await outbox?.stop();
      await db.close();
    },
  });
});
