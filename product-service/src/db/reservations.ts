import { QueryTypes, type Transaction } from 'sequelize';
import type { ReservationItem as ReservationItemView, ReservationStatus } from '@escalable/shop-sdk';
import { Reservation, ReservationItem } from './models.js';

/** A reservation as stored, with whether its expiry has passed (`lapsed`) though its status is active. */
export interface StoredReservation {
  orderId: string;
  status: ReservationStatus;
  lapsed: boolean;
  items: ReservationItemView[];
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** A held line of a reservation. */
export interface HeldItem extends ReservationItemView {
  orderId: string;
}

const sequelize = () => Reservation.sequelize!;

/**
 * A reservation is expired from the instant its expiry passes on the database clock, the one that set
 * it; the sweep only catches up with the units of those nobody asks about.
 */
const LAPSED = "(status = 'active' AND expires_at <= now())";

/** Inserts the order's reservation, or returns false when the order already has one. */
export async function insertReservation(
  orderId: string,
  ttlSeconds: number,
  actor: string,
  transaction: Transaction,
): Promise<boolean> {
  // An identical request racing this one waits here on the primary key until this transaction ends,
  // then finds the reservation instead of reserving the stock a second time.
  const inserted = await sequelize().query(
    `INSERT INTO reservations (order_id, status, expires_at, created_by)
     VALUES ($orderId, 'active', now() + make_interval(secs => $ttlSeconds), $actor)
     ON CONFLICT (order_id) DO NOTHING
     RETURNING order_id`,
    { bind: { orderId, ttlSeconds, actor }, type: QueryTypes.SELECT, transaction },
  );
  return inserted.length > 0;
}

export async function insertReservationItems(
  orderId: string,
  items: ReservationItemView[],
  transaction: Transaction,
): Promise<void> {
  await ReservationItem.bulkCreate(
    items.map((item) => ({ orderId, ...item })),
    { transaction },
  );
}

/** The reservation with its lines, or undefined. */
export async function findStoredReservation(orderId: string): Promise<StoredReservation | undefined> {
  const reservation = await Reservation.findByPk(orderId, {
    include: [{ model: ReservationItem, as: 'items' }],
    attributes: { include: [[sequelize().literal(LAPSED), 'lapsed']] },
  });
  if (!reservation) return undefined;
  return {
    orderId: reservation.orderId,
    status: reservation.status,
    lapsed: reservation.get('lapsed') === true,
    items: (reservation.items ?? []).map((item) => ({ variantId: item.variantId, quantity: item.quantity })),
    expiresAt: reservation.expiresAt,
    createdAt: reservation.createdAt,
    updatedAt: reservation.updatedAt,
  };
}

/** Locks one reservation row until the transaction ends: its status, and whether its expiry has passed. */
export async function lockReservation(
  orderId: string,
  transaction: Transaction,
): Promise<{ status: ReservationStatus; lapsed: boolean } | undefined> {
  const [row] = await sequelize().query<{ status: ReservationStatus; lapsed: boolean }>(
    `SELECT status, ${LAPSED} AS lapsed FROM reservations WHERE order_id = $orderId FOR UPDATE`,
    { bind: { orderId }, type: QueryTypes.SELECT, transaction },
  );
  return row;
}

/**
 * Locks up to `limit` active reservations expired as of `asOf` (the database clock when null), oldest
 * expiry first. SKIP LOCKED lets several sweeping instances share them, and leaves alone a reservation
 * being committed right now.
 */
export async function lockDueReservations(
  asOf: Date | null,
  limit: number,
  transaction: Transaction,
): Promise<string[]> {
  const due = await sequelize().query<{ order_id: string }>(
    `SELECT order_id FROM reservations
     WHERE status = 'active' AND expires_at <= coalesce($asOf::timestamptz, now())
     ORDER BY expires_at LIMIT $limit
     FOR UPDATE SKIP LOCKED`,
    { bind: { asOf, limit }, type: QueryTypes.SELECT, transaction },
  );
  return due.map((row) => row.order_id);
}

/**
 * Locks the active reservations past their expiry that hold any of these variants, in order id order
 * (so that two callers never wait on each other in a circle). A reservation being closed or swept
 * meanwhile is waited for, then left out, since it is no longer active.
 */
export async function lockLapsedHolding(variantIds: string[], transaction: Transaction): Promise<string[]> {
  const lapsed = await sequelize().query<{ order_id: string }>(
    `SELECT r.order_id FROM reservations r
     WHERE r.status = 'active' AND r.expires_at <= now()
       AND EXISTS (SELECT 1 FROM reservation_items i
                   WHERE i.order_id = r.order_id AND i.variant_id = ANY($variantIds::uuid[]))
     ORDER BY r.order_id
     FOR UPDATE OF r`,
    { bind: { variantIds }, type: QueryTypes.SELECT, transaction },
  );
  return lapsed.map((row) => row.order_id);
}

export async function heldItems(orderIds: string[], transaction: Transaction): Promise<HeldItem[]> {
  const items = await ReservationItem.findAll({ where: { orderId: orderIds }, transaction });
  return items.map((item) => ({ orderId: item.orderId, variantId: item.variantId, quantity: item.quantity }));
}

export async function markReservations(
  orderIds: string[],
  status: ReservationStatus,
  transaction: Transaction,
): Promise<void> {
  await Reservation.update({ status }, { where: { orderId: orderIds }, transaction });
}
