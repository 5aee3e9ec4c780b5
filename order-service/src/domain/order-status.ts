import type { Transaction } from 'sequelize';
import { problems, type OrderStatus } from '@escalable/shop-sdk';
import { insertStatusChange, updateOrder, type OrderChange, type StoredOrder } from '../db/orders.js';
import { queueCustomerNotice, queueRefund, queueStockRelease } from './order-messages.js';

/** Every move an order can make; anything else is a 409 naming the status it is in. */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['paid', 'cancelled', 'payment_failed', 'failed'],
  paid: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: ['refunded'],
  payment_failed: [],
  refunded: [],
  failed: [],
};

export const canMove = (from: OrderStatus, to: OrderStatus) => NEXT[from].includes(to);

export function assertCanMove(order: StoredOrder, to: OrderStatus): void {
  if (canMove(order.status, to)) return;
  throw problems.conflict('order-status-conflict', `The order is ${order.status}: it cannot become ${to}`, {
    status: order.status,
  });
}

export interface Move {
  /** A user id, or the service that moved it. */
  actor: string;
  reason?: string;
  /** Set when the buyer paid for an order that can no longer be delivered: the money goes back. */
  refund?: boolean;
  change?: Omit<OrderChange, 'status' | 'statusReason'>;
}

/**
 * Moves a locked order, keeps the step in its history, and queues what follows in the same
 * transaction: stock given back or money refunded, and the customer told.
 */
export async function moveOrder(
  order: StoredOrder,
  to: OrderStatus,
  move: Move,
  transaction: Transaction,
): Promise<void> {
  assertCanMove(order, to);
  const reason = move.reason ?? null;
  const paid = order.status === 'paid' || order.status === 'processing';
  const refund = move.refund === true || (to === 'cancelled' && paid);
  await updateOrder(
    order.id,
    { ...move.change, status: to, statusReason: reason, ...(refund ? { refundRequested: true } : {}) },
    transaction,
  );
  await insertStatusChange(
    { orderId: order.id, fromStatus: order.status, toStatus: to, actor: move.actor, reason },
    transaction,
  );
  if (refund) await queueRefund(order.id, reason ?? `Order ${order.id} was cancelled`, transaction);
  else if (order.status === 'pending_payment' && to !== 'paid')
    await queueStockRelease(order.id, transaction);
  await notifyCustomer({ ...order, ...move.change }, to, reason, transaction);
}

async function notifyCustomer(
  order: StoredOrder,
  to: OrderStatus,
  reason: string | null,
  transaction: Transaction,
): Promise<void> {
  const total = { amount: order.total, currency: order.currency };
  const why = reason === null ? {} : { reason };
  switch (to) {
    case 'paid':
      return queueCustomerNotice(order, 'payment-approved', { amount: total }, transaction);
    case 'payment_failed':
      return queueCustomerNotice(order, 'payment-rejected', why, transaction);
    case 'shipped':
      return queueCustomerNotice(
        order,
        'order-shipped',
        { carrier: order.carrier!, trackingNumber: order.trackingNumber! },
        transaction,
      );
    case 'delivered':
      return queueCustomerNotice(order, 'order-delivered', {}, transaction);
    case 'cancelled':
      return queueCustomerNotice(order, 'order-cancelled', why, transaction);
    case 'refunded':
      return queueCustomerNotice(order, 'order-refunded', { amount: total }, transaction);
    default:
      // processing is staff's business, and a failed checkout was answered to the customer at once.
      return;
  }
}
