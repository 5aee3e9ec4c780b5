import { internalHttpClient } from '@escalable/shop-sdk/internal';
import {
  outboxSettings,
  startOutboxDispatcher,
  type Database,
  type Logger,
  type ServiceMetrics,
} from '@escalable/shop-sdk/server';
import type { Config } from './config.js';
import type { PaymentDependencies } from './domain/dependencies.js';
import { startReconciliation } from './domain/reconciliation.js';
import { startWebhookProcessing } from './domain/webhooks.js';

export interface Workers {
  /** Stops the timers and waits for the rounds in progress. */
  stop(): Promise<void>;
}

/**
 * What every instance runs besides answering requests: reading notified payments from MercadoPago,
 * reconciling the ones whose notification never came, and sending payment results to order-service.
 */
export function startWorkers(options: {
  config: Config;
  db: Database;
  deps: PaymentDependencies;
  logger: Logger;
  metrics: ServiceMetrics;
}): Workers {
  const { config, db, deps, logger, metrics } = options;
  const jobs: Workers[] = [
    startWebhookProcessing(deps, config.WEBHOOK_INTERVAL_MS),
    startReconciliation(deps, config.RECONCILE_INTERVAL_MS),
  ];
  if (config.ORDER_SERVICE_URL) {
    // One client for the process: its circuit breaker must see every send.
    const orders = internalHttpClient('order-service', {
      baseUrl: config.ORDER_SERVICE_URL,
      caller: 'payment-service',
      secret: config.SERVICE_SECRET,
      timeoutMs: config.ORDER_SERVICE_TIMEOUT_MS,
    });
    jobs.push(
      startOutboxDispatcher({
        sequelize: db.sequelize,
        clientFor: () => orders,
        logger,
        ...outboxSettings(config),
        registry: metrics.registry,
      }),
    );
  } else {
    logger.warn('ORDER_SERVICE_URL is not set: payment results wait in the outbox until it is');
  }
  return {
    async stop() {
      await Promise.all(jobs.map((job) => job.stop()));
    },
  };
}
