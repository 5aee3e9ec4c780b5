import type { Transaction } from 'sequelize';
import { startPeriodicJob, type Logger, type PeriodicJob } from '@escalable/shop-sdk/server';
import { Reservation } from '../db/models.js';
import { heldItems, lockDueReservations, lockLapsedHolding, markReservations } from '../db/reservations.js';
import { applyStockChanges, lockVariants } from '../db/stock-ledger.js';
import type { Actor } from './stock-adjustments.js';

export const EXPIRY_ACTOR: Actor = 'system:expiry';

const sequelize = () => Reservation.sequelize!;

/**
 * Releases reservations past their expiry, in batches; several instances share the work. `asOf`
 * replaces the database clock (tests).
 */
export async function releaseExpiredReservations(
  options: { asOf?: Date; batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  let released = 0;
  for (;;) {
    const count = await sequelize().transaction(async (transaction) => {
      const due = await lockDueReservations(options.asOf ?? null, batchSize, transaction);
      if (due.length > 0) await expireReservations(due, transaction);
      return due.length;
    });
    released += count;
    if (count < batchSize) return released;
  }
}

/**
 * Expires, in the caller's transaction, the reservations past their expiry that hold any of these
 * variants, so that a decision on their stock counts those units as free from the instant they expired
 * rather than from the next sweep. The caller then locks the variants again to read the freed figures.
 */
export async function releaseLapsedHolds(variantIds: string[], transaction: Transaction): Promise<void> {
  const lapsed = await lockLapsedHolding(variantIds, transaction);
  if (lapsed.length > 0) await expireReservations(lapsed, transaction, variantIds);
}

/**
 * Gives back the units of reservations that have expired (locked by the caller) and marks them so.
 * `alsoLocking` names variants the caller goes on to lock: they are locked here in the same id-ordered
 * batch, since locking them in a second batch could take a lower id after a higher one and deadlock.
 */
export async function expireReservations(
  orderIds: string[],
  transaction: Transaction,
  alsoLocking: string[] = [],
): Promise<void> {
  const items = await heldItems(orderIds, transaction);
  await lockVariants([...alsoLocking, ...items.map((item) => item.variantId)], transaction);
  await applyStockChanges(
    items.map((item) => ({
      variantId: item.variantId,
      reason: 'expire',
      deltaOnHand: 0,
      deltaReserved: -item.quantity,
      orderId: item.orderId,
    })),
    EXPIRY_ACTOR,
    transaction,
  );
  await markReservations(orderIds, 'expired', transaction);
}

/** Gives back the stock of expired reservations on a timer, in every instance (the sweep is shareable). */
export function startExpirySweeper(intervalMs: number, logger: Logger): PeriodicJob {
  return startPeriodicJob({
    name: 'reservation-expiry',
    intervalMs,
    logger,
    run: async () => {
      const released = await releaseExpiredReservations();
      if (released > 0) logger.info({ released }, 'expired reservations released');
    },
  });
}
