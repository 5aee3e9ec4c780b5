import {
  problems,
  type Reservation as ReservationView,
  type ReservationItem as ReservationItemView,
  type StockShortfall,
} from '@escalable/shop-sdk';
import { Reservation } from '../db/models.js';
import {
  findStoredReservation,
  heldItems,
  insertReservation,
  insertReservationItems,
  lockReservation,
  markReservations,
  type StoredReservation,
} from '../db/reservations.js';
import { applyStockChanges, lockVariants, type LockedVariant } from '../db/stock-ledger.js';
import { expireReservations, releaseLapsedHolds } from './reservation-expiry.js';
import type { Actor } from './stock-adjustments.js';

export interface ReserveRequest {
  orderId: string;
  items: ReservationItemView[];
  ttlSeconds: number;
}

export interface ReserveOutcome {
  reservation: ReservationView;
  /** False when an identical earlier request had already reserved the stock. */
  created: boolean;
}

const sequelize = () => Reservation.sequelize!;

/**
 * Holds stock for an order: every line or none. The order id is the idempotency key: a repeat with the
 * same items answers the first reservation, a repeat with other items is a conflict.
 */
export async function reserveStock(request: ReserveRequest, actor: Actor): Promise<ReserveOutcome> {
  const items = [...request.items].sort((a, b) => a.variantId.localeCompare(b.variantId));
  const created = await sequelize().transaction(async (transaction) => {
    if (!(await insertReservation(request.orderId, request.ttlSeconds, actor, transaction))) return false;
    const variantIds = items.map((item) => item.variantId);
    await releaseLapsedHolds(variantIds, transaction);
    const variants = await lockVariants(variantIds, transaction);
    assertReservable(items, variants);
    await applyStockChanges(
      items.map((item) => ({
        variantId: item.variantId,
        reason: 'reserve',
        deltaOnHand: 0,
        deltaReserved: item.quantity,
        orderId: request.orderId,
      })),
      actor,
      transaction,
    );
    await insertReservationItems(request.orderId, items, transaction);
    return true;
  });
  const reservation = await findReservation(request.orderId);
  if (!created) assertSameReservation(reservation, items);
  return { reservation, created };
}

/**
 * Turns held stock into a sale: it leaves on-hand and reserved together. Repeating it changes nothing.
 * Past its expiry the sale is refused (409 reservation-expired), even before the sweep gave the units back.
 */
export function commitReservation(orderId: string, actor: Actor): Promise<ReservationView> {
  return closeReservation(orderId, 'committed', actor);
}

/** Gives held stock back. Repeating it changes nothing; past its expiry the reservation ends as expired. */
export function releaseReservation(orderId: string, actor: Actor): Promise<ReservationView> {
  return closeReservation(orderId, 'released', actor);
}

/** A reservation read as it stands: `expired` from the instant it expires, swept or not. */
export async function findReservation(orderId: string): Promise<ReservationView> {
  const reservation = await findStoredReservation(orderId);
  if (!reservation) throw problems.notFound(`The reservation of order ${orderId}`);
  return toReservationView(reservation);
}

async function closeReservation(
  orderId: string,
  target: 'committed' | 'released',
  actor: Actor,
): Promise<ReservationView> {
  // The transaction answers the status the reservation ends with; a refusal is thrown after it commits,
  // so that the units of a reservation found expired are given back even when the commit is refused.
  const outcome = await sequelize().transaction(async (transaction) => {
    const reservation = await lockReservation(orderId, transaction);
    if (!reservation) throw problems.notFound(`The reservation of order ${orderId}`);
    if (reservation.lapsed) {
      await expireReservations([orderId], transaction);
      return 'expired';
    }
    if (reservation.status !== 'active') return reservation.status;
    const items = await heldItems([orderId], transaction);
    // The reservation row is locked already; its variants are locked last, so buyers of the same
    // variants wait only for the stock change and the commit.
    await markReservations([orderId], target, transaction);
    await lockVariants(
      items.map((item) => item.variantId),
      transaction,
    );
    const committing = target === 'committed';
    await applyStockChanges(
      items.map((item) => ({
        variantId: item.variantId,
        reason: committing ? 'commit' : 'release',
        deltaOnHand: committing ? -item.quantity : 0,
        deltaReserved: -item.quantity,
        orderId,
      })),
      actor,
      transaction,
    );
    return target;
  });
  if (outcome === 'committed' && target === 'released') {
    throw problems.conflict('reservation-committed', `The stock of order ${orderId} is already sold`);
  }
  if (outcome === 'expired' && target === 'committed') {
    throw problems.conflict(
      'reservation-expired',
      `The reservation of order ${orderId} expired and its stock was given back; reserve again under a new order id`,
    );
  }
  if (outcome === 'released' && target === 'committed') {
    throw problems.conflict(
      'reservation-closed',
      `The reservation of order ${orderId} was released; its stock may be sold already`,
    );
  }
  return findReservation(orderId);
}

function assertReservable(items: ReservationItemView[], variants: LockedVariant[]): void {
  const byId = new Map(variants.map((variant) => [variant.id, variant]));
  const missing = items.filter((item) => !byId.has(item.variantId)).map((item) => item.variantId);
  if (missing.length > 0) {
    throw problems.notFound('The variant', {
      detail: `No variant has the id ${missing.join(', ')}`,
      extensions: { missing },
    });
  }
  const notForSale = variants.filter(
    (variant) => variant.status !== 'active' || variant.product_status !== 'active',
  );
  if (notForSale.length > 0) {
    throw problems.conflict('not-for-sale', 'Some variants are not on sale', {
      variantIds: notForSale.map((variant) => variant.id),
    });
  }
  const availability: StockShortfall[] = items.map((item) => {
    const variant = byId.get(item.variantId)!;
    return {
      variantId: item.variantId,
      requested: item.quantity,
      available: variant.on_hand - variant.reserved,
    };
  });
  if (availability.some((line) => line.available < line.requested)) {
    throw problems.conflict('out-of-stock', 'Not enough stock for every line; nothing was reserved', {
      availability,
    });
  }
}

function assertSameReservation(reservation: ReservationView, items: ReservationItemView[]): void {
  const same =
    reservation.items.length === items.length &&
    reservation.items.every(
      (line, index) => line.variantId === items[index]!.variantId && line.quantity === items[index]!.quantity,
    );
  if (!same) {
    throw problems.conflict(
      'reservation-mismatch',
      `Order ${reservation.orderId} already holds a reservation with other items`,
    );
  }
  if (reservation.status === 'released' || reservation.status === 'expired') {
    throw problems.conflict(
      'reservation-closed',
      `The reservation of order ${reservation.orderId} was ${reservation.status}; reserve under a new order id`,
    );
  }
}

function toReservationView(reservation: StoredReservation): ReservationView {
  return {
    orderId: reservation.orderId,
    status: reservation.lapsed ? 'expired' : reservation.status,
    items: [...reservation.items].sort((a, b) => a.variantId.localeCompare(b.variantId)),
    expiresAt: reservation.expiresAt.toISOString(),
    createdAt: reservation.createdAt.toISOString(),
    updatedAt: reservation.updatedAt.toISOString(),
  };
}
