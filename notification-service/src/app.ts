import type { Express } from 'express';
import { UserServiceClient } from '@escalable/shop-sdk/internal';
import {
  createMetrics,
  createServiceApp,
  serveOpenApi,
  tokenVerifierFromEnv,
  type Database,
  type Logger,
} from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import type { NotificationDependencies } from './domain/dependencies.js';
import { registerDeliveryGauge } from './domain/delivery-metrics.js';
import { createEmailChannel } from './domain/email-channel.js';
import { createSmsChannel } from './domain/sms-channel.js';
import { internalRoutes } from './routes/internal.js';
import { notificationRoutes, TWILIO_STATUS_PATH } from './routes/notifications.js';
import { notificationApiDocument } from './routes/openapi.js';

const PUBLIC_PREFIX = '/api/notifications';

/** The providers, user-service's client and the delivery settings, built once per process. */
export function buildDependencies(config: Config, logger: Logger): NotificationDependencies {
  return {
    users: new UserServiceClient({
      baseUrl: config.USER_SERVICE_URL,
      caller: 'notification-service',
      secret: config.SERVICE_SECRET,
      timeoutMs: config.USER_SERVICE_TIMEOUT_MS,
    }),
    email: createEmailChannel({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      ignoreTLS: config.SMTP_IGNORE_TLS,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
      from: config.MAIL_FROM,
    }),
    sms: createSmsChannel({
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      from: config.TWILIO_FROM,
      messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
      apiBaseUrl: config.TWILIO_API_BASE_URL,
      // Twilio signs a callback for the URL it posts to: the public one, through the gateway.
      statusCallbackUrl: config.PUBLIC_BASE_URL.replace(/\/+$/, '') + PUBLIC_PREFIX + TWILIO_STATUS_PATH,
    }),
    delivery: {
      maxAttempts: config.MAX_ATTEMPTS,
      retryBaseDelayMs: config.RETRY_BASE_DELAY_MS,
      retryMaxDelayMs: config.RETRY_MAX_DELAY_MS,
      batchSize: config.DELIVERY_BATCH_SIZE,
      leaseMs: config.DELIVERY_LEASE_MS,
    },
    logger,
  };
}

export interface AppDependencies {
  config: Config;
  db: Database;
  logger: Logger;
  deps: NotificationDependencies;
}

export function buildApp({ config, db, logger, deps }: AppDependencies): Express {
  const verify = tokenVerifierFromEnv(config);
  const metrics = createMetrics('notification-service');
  registerDeliveryGauge(metrics.registry, logger);

  return createServiceApp({
    service: 'notification-service',
    logger,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    checkReadiness: () => db.ping(),
    metrics,
    formBodyPaths: [PUBLIC_PREFIX + TWILIO_STATUS_PATH],
    routes: (app) => {
      app.get('/openapi.json', serveOpenApi(notificationApiDocument));
      app.use(PUBLIC_PREFIX, notificationRoutes(verify, deps));
      app.use('/internal', internalRoutes(config.SERVICE_SECRET));
    },
  });
}
