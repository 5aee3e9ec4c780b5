import { startPeriodicJob, type Logger, type PeriodicJob } from '@escalable/shop-sdk/server';
import { deleteInactiveGuestCarts } from '../db/carts.js';

/** Carts deleted per statement, so one run never holds many row locks or a long transaction. */
const BATCH_SIZE = 500;

/**
 * Deletes guest carts nobody has used for `ttlDays` (merged ones included: their report is all that
 * is left of them). Customer carts stay: converted ones are part of order history. Safe to run in
 * every instance at once. Returns how many went.
 */
export async function deleteExpiredGuestCarts(ttlDays: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteInactiveGuestCarts(ttlDays, BATCH_SIZE);
    total += deleted;
    if (deleted < BATCH_SIZE) return total;
  }
}

export interface GuestCartExpirySettings {
  ttlDays: number;
  intervalMs: number;
  logger: Logger;
}

/** Runs {@link deleteExpiredGuestCarts} on a timer in this instance, until stopped. */
export function startGuestCartExpiry({ ttlDays, intervalMs, logger }: GuestCartExpirySettings): PeriodicJob {
  return startPeriodicJob({
    name: 'guest-cart-expiry',
    intervalMs,
    logger,
    run: async () => {
      const deleted = await deleteExpiredGuestCarts(ttlDays);
      if (deleted > 0) logger.info({ deleted }, 'expired guest carts deleted');
    },
  });
}
