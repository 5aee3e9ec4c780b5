import { runService } from '@escalable/shop-sdk/server';
import { buildApp, LOG_REDACTIONS, startOutboxDelivery } from './app.js';
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { ensureAdmin } from './domain/admin-bootstrap.js';
import { loadSigningKeys } from './domain/signing-keys.js';

runService({
  name: 'user-service',
  readConfig,
  logRedactions: LOG_REDACTIONS,
  openDatabase,
  // Loaded before migrating: a signing key that does not parse fails the start in one line.
  buildDependencies: (config) => loadSigningKeys(config.JWT_PRIVATE_KEY, config.JWT_RETIRED_PUBLIC_KEYS),
  buildApp: ({ config, db, deps: keys, logger, metrics }) => buildApp({ config, db, keys, logger, metrics }),
  afterMigrate: async ({ config, logger }) => {
    if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
      await ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD, logger);
    }
  },
  startWorkers: ({ config, db, logger, metrics }) => startOutboxDelivery({ config, db, logger, metrics }),
});
