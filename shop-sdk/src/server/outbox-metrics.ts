import { Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { OutboxStats } from './outbox-rows.js';

/**
 * `outbox_pending` and `outbox_oldest_pending_age_seconds`, read from the table at each scrape so every
 * instance reports the same truth. Both gauges share one read per scrape; when the database cannot
 * answer, the failure is logged and the scrape keeps the other metrics.
 */
export function registerOutboxGauges(
  registry: Registry,
  readStats: () => Promise<OutboxStats>,
  logger: Logger,
): void {
  let reading: Promise<OutboxStats | undefined> | undefined;
  const read = () =>
    (reading ??= readStats()
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'outbox metrics could not be read');
        return undefined;
      })
      .finally(() => {
        reading = undefined;
      }));
  new Gauge({
    name: 'outbox_pending',
    help: 'Outbox messages waiting to be delivered',
    registers: [registry],
    async collect() {
      const stats = await read();
      if (stats) this.set(stats.pending);
    },
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbox message waiting to be delivered (0 when none waits)',
    registers: [registry],
    async collect() {
      const stats = await read();
      if (stats) this.set(stats.oldestPendingAgeSeconds);
    },
  });
}
