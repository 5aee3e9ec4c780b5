import type { Express } from 'express';
import { createTokenVerifier } from '@escalable/shop-sdk';
import { createServiceApp, type Database, type Logger } from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import type { AccountDependencies } from './domain/dependencies.js';
import { createPasswordHasher } from './domain/passwords.js';
import type { SigningKeys } from './domain/signing-keys.js';
import { createLoginThrottle, createRegistrationThrottle } from './domain/throttles.js';
import { authRoutes } from './routes/auth.js';
import { internalRoutes } from './routes/internal.js';
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
}

export function buildApp({ config, db, keys, logger }: AppDependencies): Express {
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
    routes: (app) => {
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.set('Cache-Control', 'public, max-age=300').json(keys.jwks);
      });
      app.use('/api/auth', authRoutes(deps));
      app.use('/api/users', userRoutes(deps, verify));
      app.use('/internal', internalRoutes(config.SERVICE_SECRET));
    },
  });
}
