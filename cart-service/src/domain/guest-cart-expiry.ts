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
