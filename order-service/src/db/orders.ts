import { QueryTypes, UniqueConstraintError, type InferAttributes, type Transaction } from 'sequelize';
import type { OrderStatus } from '@escalable/shop-sdk';
import { Order, OrderLine, OrderStatusChange } from './models.js';

export type StoredOrder = InferAttributes<Order>;
export type StoredLine = InferAttributes<OrderLine>;
export type StoredStatusChange = InferAttributes<OrderStatusChange>;

export type NewOrder = Omit<
  StoredOrder,
  | 'paymentId'
  | 'checkoutUrl'
  | 'statusReason'
  | 'refundRequested'
  | 'carrier'
  | 'trackingNumber'
  | 'createdAt'
  | 'updatedAt'
>;

export type OrderChange = Partial<
  Pick<
    StoredOrder,
    'status' | 'paymentId' | 'checkoutUrl' | 'statusReason' | 'refundRequested' | 'carrier' | 'trackingNumber'
  >
>;

const sequelize = () => Order.sequelize!;

export function inTransaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
  return sequelize().transaction(work);
}

export async function insertOrder(
  order: NewOrder,
  lines: Omit<StoredLine, 'orderId' | 'position'>[],
  transaction: Transaction,
): Promise<void> {
  await Order.create(order, { transaction });
  await OrderLine.bulkCreate(
    lines.map((line, position) => ({ ...line, orderId: order.id, position })),
    { transaction },
  );
}

export async function insertStatusChange(
  change: Omit<StoredStatusChange, 'id' | 'at'>,
  transaction: Transaction,
): Promise<void> {
  await OrderStatusChange.create(change, { transaction });
}

/** True when an insert lost because the cart already has a live order (orders_one_live_per_cart). */
export function isCartAlreadyOrdered(error: unknown): boolean {
  const parent = error instanceof UniqueConstraintError ? (error.parent as { constraint?: string }) : null;
  return parent?.constraint === 'orders_one_live_per_cart';
}

/** The customer's live order made from the cart, if any. */
export async function findLiveOrderOfCart(cartId: string, customerId: string): Promise<string | null> {
  const [row] = await sequelize().query<{ id: string }>(
    `SELECT id FROM orders WHERE cart_id = $cartId AND customer_id = $customerId
       AND status NOT IN ('failed', 'payment_failed', 'cancelled', 'refunded')`,
    { bind: { cartId, customerId }, type: QueryTypes.SELECT },
  );
  return row?.id ?? null;
}

/**
 * Counts the customer's unpaid orders, after taking a lock on the customer held until the transaction
 * ends: parallel checkouts of one customer count one after another, each seeing the orders before it.
 */
export async function countUnpaidOrdersLocked(customerId: string, transaction: Transaction): Promise<number> {
  await sequelize().query('SELECT pg_advisory_xact_lock(hashtextextended($customerId, 0))', {
    bind: { customerId },
    transaction,
  });
  const [row] = await sequelize().query<{ unpaid: number }>(
    `SELECT count(*)::int AS unpaid FROM orders WHERE customer_id = $customerId AND status = 'pending_payment'`,
    { bind: { customerId }, type: QueryTypes.SELECT, transaction },
  );
  return row!.unpaid;
}

/** The order, locked until the transaction ends: every status change goes through this. */
export async function lockOrder(orderId: string, transaction: Transaction): Promise<StoredOrder | null> {
  const row = await Order.findByPk(orderId, { transaction, lock: transaction.LOCK.UPDATE });
  return row?.get({ plain: true }) ?? null;
}

export async function updateOrder(orderId: string, change: OrderChange, transaction?: Transaction) {
  await Order.update(change, { where: { id: orderId }, transaction });
}

export async function findOrder(orderId: string): Promise<StoredOrder | null> {
  const row = await Order.findByPk(orderId);
  return row?.get({ plain: true }) ?? null;
}

export async function linesOf(orderId: string): Promise<StoredLine[]> {
  const rows = await OrderLine.findAll({ where: { orderId }, order: [['position', 'ASC']] });
  return rows.map((row) => row.get({ plain: true }));
}

export async function historyOf(orderId: string): Promise<StoredStatusChange[]> {
  const rows = await OrderStatusChange.findAll({ where: { orderId }, order: [['id', 'ASC']] });
  return rows.map((row) => row.get({ plain: true }));
}

export interface OrderFilter {
  customerId?: string;
  status?: OrderStatus;
  from?: Date;
  to?: Date;
}

export interface OrderRow {
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  total: number;
  itemCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A page of orders, newest first, with the number matching the filter. */
export async function listOrders(filter: OrderFilter, limit: number, offset: number) {
  const where = `WHERE ($customerId::uuid IS NULL OR customer_id = $customerId)
      AND ($status::text IS NULL OR status = $status)
      AND ($from::timestamptz IS NULL OR created_at >= $from)
      AND ($to::timestamptz IS NULL OR created_at <= $to)`;
  const bind = {
    customerId: filter.customerId ?? null,
    status: filter.status ?? null,
    from: filter.from?.toISOString() ?? null,
    to: filter.to?.toISOString() ?? null,
  };
  const [items, [count]] = await Promise.all([
    sequelize().query<OrderRow>(
      `SELECT id, customer_id AS "customerId", status, currency, total, item_count AS "itemCount",
              created_at AS "createdAt", updated_at AS "updatedAt"
       FROM orders ${where} ORDER BY created_at DESC, id LIMIT $limit OFFSET $offset`,
      { bind: { ...bind, limit, offset }, type: QueryTypes.SELECT },
    ),
    sequelize().query<{ total: number }>(`SELECT count(*)::int AS total FROM orders ${where}`, {
      bind,
      type: QueryTypes.SELECT,
    }),
  ]);
  return { items, total: count!.total };
}

/** Unpaid orders whose time ran out, locked and skipped by other instances doing the same. */
export async function lockExpiredUnpaidOrders(limit: number, transaction: Transaction): Promise<string[]> {
  const rows = await sequelize().query<{ id: string }>(
    `SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at <= now()
     ORDER BY expires_at LIMIT $limit FOR UPDATE SKIP LOCKED`,
    { bind: { limit }, type: QueryTypes.SELECT, transaction },
  );
  return rows.map((row) => row.id);
}
