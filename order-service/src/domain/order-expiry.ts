import { startPeriodicJob, type Logger, type PeriodicJob } from '@escalable/shop-sdk/server';
import { inTransaction, lockExpiredUnpaidOrders, lockOrder } from '../db/orders.js';
import { moveOrder } from './order-status.js';

const BATCH = 100;

/**
 * Cancels the unpaid orders whose time ran out, giving their stock back; a batch per transaction, the
 * rows locked and skipped by other instances doing the same. Answers how many it cancelled.
 */
export async function expireUnpaidOrders(): Promise<number> {
  let total = 0;
  for (;;) {
    const cancelled = await inTransaction(async (transaction) => {
      const ids = await lockExpiredUnpaidOrders(BATCH, transaction);
      for (const id of ids) {
        const order = (await lockOrder(id, transaction))!;
        await moveOrder(
          order,
          'cancelled',
          { actor: 'order-service', reason: 'The order was not paid in time' },
          transaction,
        );
      }
      return ids.length;
    });
    total += cancelled;
    if (cancelled < BATCH) return total;
  }
}

export function startOrderExpiry(options: { intervalMs: number; logger: Logger }): PeriodicJob {
  return startPeriodicJob({
    name: 'unpaid order expiry',
    intervalMs: options.intervalMs,
    logger: options.logger,
    run: async () => {
      const cancelled = await expireUnpaidOrders();
      if (cancelled > 0) options.logger.info({ cancelled }, 'unpaid orders cancelled on expiry');
    },
  });
}
