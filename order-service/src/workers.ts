import { NotificationServiceClient, type HttpClient, type ServiceName } from '@escalable/shop-sdk/internal';
import {
  outboxSettings,
  startOutboxDispatcher,
  type Database,
  type Logger,
  type ServiceMetrics,
} from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import type { OrderDependencies } from './domain/dependencies.js';
import { startOrderExpiry } from './domain/order-expiry.js';

export interface Workers {
  /** Stops the timers and waits for the rounds in progress. */
  stop(): Promise<void>;
}

/**
 * What every instance runs besides answering requests: cancelling unpaid orders whose time ran out,
 * and sending the outbox (stock releases, cart conversions, refunds, notifications).
 */
export function startWorkers(options: {
  config: Config;
  db: Database;
  deps: OrderDependencies;
  logger: Logger;
  metrics: ServiceMetrics;
}): Workers {
  const { config, db, deps, logger, metrics } = options;
  // The checkout's clients serve the outbox too: one circuit breaker per upstream sees every call.
  const clients = new Map<ServiceName, HttpClient>([
    ['cart-service', deps.carts.http],
    ['product-service', deps.catalog.http],
    ['payment-service', deps.payments.http],
    [
      'notification-service',
      new NotificationServiceClient({
        baseUrl: config.NOTIFICATION_SERVICE_URL,
        caller: 'order-service',
        secret: config.SERVICE_SECRET,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      }).http,
    ],
  ]);
  const jobs = [
    startOrderExpiry({ intervalMs: config.ORDER_EXPIRY_INTERVAL_MS, logger }),
    startOutboxDispatcher({
      sequelize: db.sequelize,
      clientFor: (target) => {
        const client = clients.get(target);
        if (!client) throw new Error(`order-service sends nothing to ${target}`);
        return client;
      },
      logger,
      ...outboxSettings(config),
      registry: metrics.registry,
    }),
  ];
  return {
    async stop() {
      await Promise.all(jobs.map((job) => job.stop()));
    },
  };
}
