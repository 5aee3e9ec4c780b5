import type { Express } from 'express';
import { createTokenVerifier } from '@escalable/shop-sdk';
import { createServiceApp, type Database, type Logger } from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import { Accounts } from './domain/accounts.js';
import { LoginThrottle } from './domain/login-throttle.js';
import { Sessions } from './domain/sessions.js';
import type { SigningKeys } from './domain/signing-keys.js';
import { authRoutes } from './routes/auth.js';
import { internalRoutes } from './routes/internal.js';
import { userRoutes } from './routes/users.js';

export interface AppDependencies {
  config: Config;
  db: Database;
  keys: SigningKeys;
  logger: Logger;
}

export function buildApp({ config, db, keys, logger }: AppDependencies): Express {
  const sessions = new Sessions({
    keys,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
  });
  const throttle = new LoginThrottle(db.sequelize, {
    failuresPerAccount: config.LOGIN_FAILURES_PER_ACCOUNT,
    failuresPerIp: config.LOGIN_FAILURES_PER_IP,
    windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
  });
  const accounts = new Accounts({ sessions, throttle });
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
      app.use('/api/auth', authRoutes(accounts, sessions));
      app.use('/api/users', userRoutes(accounts, verify));
      app.use('/internal', internalRoutes(accounts, config.SERVICE_SECRET));
    },
  });
}
