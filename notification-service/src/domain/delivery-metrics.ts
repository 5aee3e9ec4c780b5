import { DELIVERY_STATUSES } from '@escalable/shop-sdk';
import type { Logger } from '@escalable/shop-sdk/server';
import { Gauge, type Registry } from 'prom-client';
import { countDeliveriesByStatus } from '../db/deliveries.js';

/**
 * `notification_deliveries{status}`, read from the table at each scrape so every instance reports the
 * same truth; a status with no delivery reports 0. When the database cannot answer, the failure is
 * logged and the scrape keeps the other metrics.
 */
export function registerDeliveryGauge(registry: Registry, logger: Logger): void {
  new Gauge({
    name: 'notification_deliveries',
    help: 'Notification deliveries by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      try {
        const counts = new Map((await countDeliveriesByStatus()).map((row) => [row.status, row.count]));
        for (const status of DELIVERY_STATUSES) this.set({ status }, counts.get(status) ?? 0);
      } catch (error) {
        logger.warn({ err: error }, 'delivery metrics could not be read');
      }
    },
  });
}
