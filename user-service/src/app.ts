import type { Express } from 'express';
import { createTokenVerifier, internalHttpClient } from '@escalable/shop-sdk/internal';
import {
  createServiceApp,
  outboxSettings,
  startOutboxDispatcher,
  type Database,
  type Logger,
  type OutboxDispatcher,
  serveOpenApi,
  type ServiceMetrics,
} from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import type { AccountDependencies } from './domain/dependencies.js';
import { createPasswordHasher } from './domain/passwords.js';
import type { SigningKeys } from './domain/signing-keys.js';
import { createLoginThrottle, createRegistrationThrottle } from './domain/throttles.js';
import { authRoutes } from './routes/auth.js';
import { internalRoutes } from './routes/internal.js';
import { userApiDocument } from './routes/openapi.js';
import { userRoutes } from './routes/users.js';

/**
 * What user-service keeps that is secret beyond the passwords and tokens every service redacts: the
 * stored hashes, as a model or a raw row would carry them into a log line. A password hash can be
 * cracked offline, so it must not leave the database.
 */
export const LOG_REDACTIONS = ['*.passwordHash', '*.password_hash', '*.tokenHash', '*.token_hash'];

export interface AppDependencies {
  config: Config;
  db: Database;
  keys: SigningKeys;
  logger: Logger;
  /** The registry `/metrics` serves, shared with the outbox's gauges; made by the app when absent. */
  metrics?: ServiceMetrics;
}

export function buildApp({ config, db, keys, logger, metrics }: AppDependencies): Express {
  const deps: AccountDependencies = {
    sessions: {
      keys,
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    },
    loginThrottle: createLoginThrottle(db.sequelize, {
      failuresPerAccountAndAddress: config.LOGIN_FAILURES_PER_ACCOUNT_AND_IP,
      failuresPerAddress: config.LOGIN_FAILURES_PER_IP,
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
      failuresPerAccountBeforeDelay: config.LOGIN_FAILURES_PER_ACCOUNT,
    }),
    registrationThrottle: createRegistrationThrottle(db.sequelize, {
      perAddress: config.REGISTRATIONS_PER_IP,
      windowSeconds: 3600,
    }),
    hasher: createPasswordHasher({
      concurrency: config.PASSWORD_HASHING_CONCURRENCY,
      queue: config.PASSWORD_HASHING_QUEUE,
    }),
  };
  const verify = createTokenVerifier({ publicKeys: keys.publicKeys });

  return createServiceApp({
    service: 'user-service',
    logger,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    checkReadiness: () => db.ping(),
    metrics,
    routes: (app) => {
      app.get('/openapi.json', serveOpenApi(userApiDocument));
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.set('Cache-Control', 'public, max-age=300').json(keys.jwks);
      });
      app.use('/api/auth', authRoutes(deps));
      app.use('/api/users', userRoutes(deps, verify));
      app.use('/internal', internalRoutes(config.SERVICE_SECRET));
    },
  });
}

/**
 * Sends what the sign-up and password stories queued in the outbox to notification-service, from
 * every instance. Without NOTIFICATION_SERVICE_URL nothing is sent: the messages wait for it.
 */
export function startOutboxDelivery({
  config,
  db,
  logger,
  metrics,
}: Omit<AppDependencies, 'keys'>): OutboxDispatcher | undefined {
  if (!config.NOTIFICATION_SERVICE_URL) {
    logger.warn('NOTIFICATION_SERVICE_URL is not set: notifications wait in the outbox');
    return undefined;
  }
  const notificationService = internalHttpClient('notification-service', {
    baseUrl: config.NOTIFICATION_SERVICE_URL,
    caller: 'user-service',
    secret: config.SERVICE_SECRET,
  });
  return startOutboxDispatcher({
    sequelize: db.sequelize,
    clientFor: (target) => {
      if (target === 'notification-service') return notificationService;
      throw new Error(`user-service sends nothing to ${target}`);
    },
    logger,
    ...outboxSettings(config),
    registry: metrics?.registry,
  });
}
