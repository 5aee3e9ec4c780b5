import { QueryTypes, Transaction } from 'sequelize';
import {
  Problem,
  problems,
  type Page,
  type ProductStatus,
  type Reservation as ReservationView,
  type ReservationItem as ReservationItemView,
  type StockAdjustment,
  type StockLedger,
  type StockMovement as StockMovementView,
  type StockMovementReason,
  type StockShortfall,
  type Variant as VariantView,
  type VariantStatus,
} from '@escalable/shop-sdk';
import { Reservation, ReservationItem, StockMovement, Variant } from '../db/models.js';
import { toVariantView } from './catalog-view.js';
import { INTEGER_MAX } from './values.js';

/**
 * Stock on hand and reserved per variant, and the ledger that explains them. Every change follows the
 * same three steps in one transaction: lock the variant rows (always in id order, so two transactions
 * never wait on each other in a circle), decide on the locked figures, then apply the change together
 * with its ledger lines. The CHECK `reserved <= on_hand` in the schema backs the decision up.
 */

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

/** Who changed the stock: `user:<id>`, `service:<name>` or `system:expiry`. */
export type Actor = string;
export const EXPIRY_ACTOR: Actor = 'system:expiry';

interface StockChange {
  variantId: string;
  reason: StockMovementReason;
  deltaOnHand: number;
  deltaReserved: number;
  orderId?: string;
  note?: string;
}

interface LockedVariant {
  id: string;
  on_hand: number;
  reserved: number;
  status: VariantStatus;
  product_status: ProductStatus;
}

const sequelize = () => Variant.sequelize!;

/**
 * A reservation is expired from the instant its expiry passes on the database clock, the one that set
 * it; the sweep only catches up with the units of those nobody asks about.
 */
const LAPSED = "(status = 'active' AND expires_at <= now())";

/**
 * Holds stock for an order: every line or none. The order id is the idempotency key: a repeat with the
 * same items answers the first reservation, a repeat with other items is a conflict.
 */
export async function reserveStock(request: ReserveRequest, actor: Actor): Promise<ReserveOutcome> {
  const items = [...request.items].sort((a, b) => a.variantId.localeCompare(b.variantId));
  const created = await sequelize().transaction(async (transaction) => {
    if (!(await claimOrder(request.orderId, request.ttlSeconds, actor, transaction))) return false;
    const variants = await lockVariants(
      items.map((item) => item.variantId),
      transaction,
    );
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
    await ReservationItem.bulkCreate(
      items.map((item) => ({ orderId: request.orderId, ...item })),
      { transaction },
    );
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

/**
 * Releases reservations past their expiry, in batches. Each instance runs it on a timer; SKIP LOCKED
 * lets several instances share the work, and leaves alone a reservation being committed right now.
 * `asOf` replaces the database clock (tests).
 */
export async function releaseExpiredReservations(
  options: { asOf?: Date; batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  let released = 0;
  for (;;) {
    const count = await sequelize().transaction(async (transaction) => {
      const due = await sequelize().query<{ order_id: string }>(
        `SELECT order_id FROM reservations
         WHERE status = 'active' AND expires_at <= coalesce($asOf::timestamptz, now())
         ORDER BY expires_at LIMIT $limit
         FOR UPDATE SKIP LOCKED`,
        { bind: { asOf: options.asOf ?? null, limit: batchSize }, type: QueryTypes.SELECT, transaction },
      );
      if (due.length === 0) return 0;
      await expireReservations(
        due.map((row) => row.order_id),
        transaction,
      );
      return due.length;
    });
    released += count;
    if (count < batchSize) return released;
  }
}

/** An admin's correction of the stock on hand (delivery, stocktake, damage); never below what is reserved. */
export async function adjustStock(
  productId: string,
  variantId: string,
  adjustment: StockAdjustment,
  actor: Actor,
): Promise<VariantView> {
  return sequelize().transaction(async (transaction) => {
    const [variant] = await lockVariants([variantId], transaction, productId);
    if (!variant) throw problems.notFound('The variant');
    if (variant.on_hand + adjustment.delta < variant.reserved) {
      throw problems.conflict(
        'insufficient-stock',
        `Taking ${-adjustment.delta} would leave fewer units on hand than the ${variant.reserved} reserved`,
        { onHand: variant.on_hand, reserved: variant.reserved },
      );
    }
    if (variant.on_hand + adjustment.delta > INTEGER_MAX) {
      throw problems.conflict(
        'stock-limit',
        `Adding ${adjustment.delta} would take on-hand past ${INTEGER_MAX}, the most a variant can hold`,
        { onHand: variant.on_hand, limit: INTEGER_MAX },
      );
    }
    await applyStockChanges(
      [
        {
          variantId,
          reason: 'adjustment',
          deltaOnHand: adjustment.delta,
          deltaReserved: 0,
          note: adjustment.note,
        },
      ],
      actor,
      transaction,
    );
    const updated = await Variant.findByPk(variantId, { transaction });
    return toVariantView(updated!, { seesStock: true });
  });
}

/** Puts the first units of new variants on hand, inside the transaction that creates them. */
export async function receiveInitialStock(
  stock: Array<{ variantId: string; quantity: number }>,
  actor: Actor,
  transaction: Transaction,
): Promise<void> {
  const changes = stock
    .filter(({ quantity }) => quantity > 0)
    .map(({ variantId, quantity }): StockChange => ({
      variantId,
      reason: 'initial',
      deltaOnHand: quantity,
      deltaReserved: 0,
    }));
  if (changes.length > 0) await applyStockChanges(changes, actor, transaction);
}

/**
 * A variant's stock with its ledger sums (equal to the stock when nothing went astray) and movements.
 * One snapshot for all of it: read apart, a reservation landing in between would show a stock and a
 * ledger that disagree.
 */
export async function stockLedger(
  productId: string,
  variantId: string,
  page: { limit: number; offset: number },
): Promise<StockLedger> {
  return sequelize().transaction(
    { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ },
    async (transaction) => {
      await sequelize().query('SET TRANSACTION READ ONLY', { transaction });
      const variant = await Variant.findOne({ where: { id: variantId, productId }, transaction });
      if (!variant) throw problems.notFound('The variant');
      const [sums] = await sequelize().query<{ on_hand: string; reserved: string }>(
        `SELECT coalesce(sum(delta_on_hand), 0) AS on_hand, coalesce(sum(delta_reserved), 0) AS reserved
         FROM stock_movements WHERE variant_id = $variantId`,
        { bind: { variantId }, type: QueryTypes.SELECT, transaction },
      );
      const { rows, count } = await StockMovement.findAndCountAll({
        where: { variantId },
        order: [['id', 'DESC']],
        limit: page.limit,
        offset: page.offset,
        transaction,
      });
      const movements: Page<StockMovementView> = { items: rows.map(toMovementView), total: count, ...page };
      return {
        variantId,
        onHand: variant.onHand,
        reserved: variant.reserved,
        available: variant.onHand - variant.reserved,
        ledgerOnHand: Number(sums!.on_hand),
        ledgerReserved: Number(sums!.reserved),
        movements,
      };
    },
  );
}

/** A reservation read as it stands: `expired` from the instant it expires, swept or not. */
export async function findReservation(orderId: string): Promise<ReservationView> {
  const reservation = await Reservation.findByPk(orderId, {
    include: [{ model: ReservationItem, as: 'items' }],
    attributes: { include: [[sequelize().literal(LAPSED), 'lapsed']] },
  });
  if (!reservation) throw problems.notFound(`The reservation of order ${orderId}`);
  return toReservationView(reservation, reservation.get('lapsed') === true);
}

/** Inserts the order's reservation, or returns false when the order already has one. */
async function claimOrder(
  orderId: string,
  ttlSeconds: number,
  actor: Actor,
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

async function closeReservation(
  orderId: string,
  target: 'committed' | 'released',
  actor: Actor,
): Promise<ReservationView> {
  // The transaction answers the status the reservation ends with; a refusal is thrown after it commits,
  // so that the units of a reservation found expired are given back even when the commit is refused.
  const outcome = await sequelize().transaction(async (transaction) => {
    const reservation = await Reservation.findByPk(orderId, {
      attributes: { include: [[sequelize().literal(LAPSED), 'lapsed']] },
      lock: transaction.LOCK.UPDATE,
      transaction,
    });
    if (!reservation) throw problems.notFound(`The reservation of order ${orderId}`);
    if (reservation.get('lapsed') === true) {
      await expireReservations([orderId], transaction);
      return 'expired';
    }
    if (reservation.status !== 'active') return reservation.status;
    const items = await ReservationItem.findAll({ where: { orderId }, transaction });
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
    reservation.status = target;
    await reservation.save({ transaction });
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

/** Gives back the units of reservations that have expired (locked by the caller) and marks them so. */
async function expireReservations(orderIds: string[], transaction: Transaction): Promise<void> {
  const items = await ReservationItem.findAll({ where: { orderId: orderIds }, transaction });
  await lockVariants(
    items.map((item) => item.variantId),
    transaction,
  );
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
  await Reservation.update({ status: 'expired' }, { where: { orderId: orderIds }, transaction });
}

/** Locks the variant rows, in id order, with what deciding on them needs. */
async function lockVariants(
  ids: string[],
  transaction: Transaction,
  productId?: string,
): Promise<LockedVariant[]> {
  return sequelize().query<LockedVariant>(
    `SELECT v.id, v.on_hand, v.reserved, v.status, p.status AS product_status
     FROM variants v JOIN products p ON p.id = v.product_id
     WHERE v.id = ANY($ids::uuid[]) AND ($productId::uuid IS NULL OR v.product_id = $productId::uuid)
     ORDER BY v.id
     FOR UPDATE OF v`,
    { bind: { ids: [...new Set(ids)], productId: productId ?? null }, type: QueryTypes.SELECT, transaction },
  );
}

function assertReservable(items: ReservationItemView[], variants: LockedVariant[]): void {
  const byId = new Map(variants.map((variant) => [variant.id, variant]));
  const missing = items.filter((item) => !byId.has(item.variantId)).map((item) => item.variantId);
  if (missing.length > 0) {
    throw new Problem({
      status: 404,
      type: 'not-found',
      title: 'Not found',
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

/** Applies locked-and-checked changes to the stock and writes their ledger lines. */
async function applyStockChanges(
  changes: StockChange[],
  actor: Actor,
  transaction: Transaction,
): Promise<void> {
  const totals = new Map<string, { onHand: number; reserved: number }>();
  for (const change of changes) {
    const total = totals.get(change.variantId) ?? { onHand: 0, reserved: 0 };
    total.onHand += change.deltaOnHand;
    total.reserved += change.deltaReserved;
    totals.set(change.variantId, total);
  }
  await sequelize().query(
    `UPDATE variants v
     SET on_hand = v.on_hand + c.on_hand, reserved = v.reserved + c.reserved, updated_at = now()
     FROM unnest($ids::uuid[], $onHand::int[], $reserved::int[]) AS c (id, on_hand, reserved)
     WHERE v.id = c.id`,
    {
      bind: {
        ids: [...totals.keys()],
        onHand: [...totals.values()].map((total) => total.onHand),
        reserved: [...totals.values()].map((total) => total.reserved),
      },
      transaction,
    },
  );
  await StockMovement.bulkCreate(
    changes.map((change) => ({
      variantId: change.variantId,
      reason: change.reason,
      deltaOnHand: change.deltaOnHand,
      deltaReserved: change.deltaReserved,
      orderId: change.orderId ?? null,
      actor,
      note: change.note ?? null,
    })),
    { transaction },
  );
}

function toReservationView(reservation: Reservation, lapsed: boolean): ReservationView {
  return {
    orderId: reservation.orderId,
    status: lapsed ? 'expired' : reservation.status,
    items: [...(reservation.items ?? [])]
      .sort((a, b) => a.variantId.localeCompare(b.variantId))
      .map((item) => ({ variantId: item.variantId, quantity: item.quantity })),
    expiresAt: reservation.expiresAt.toISOString(),
    createdAt: reservation.createdAt.toISOString(),
    updatedAt: reservation.updatedAt.toISOString(),
  };
}

function toMovementView(movement: StockMovement): StockMovementView {
  return {
    id: String(movement.id),
    variantId: movement.variantId,
    reason: movement.reason,
    deltaOnHand: movement.deltaOnHand,
    deltaReserved: movement.deltaReserved,
    orderId: movement.orderId,
    actor: movement.actor,
    note: movement.note,
    createdAt: movement.createdAt.toISOString(),
  };
}
