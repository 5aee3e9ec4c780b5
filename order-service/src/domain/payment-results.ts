import { Problem, problems, type Order, type PaymentResult } from '@escalable/shop-sdk';
import { findOrder, inTransaction, lockOrder, updateOrder, type StoredOrder } from '../db/orders.js';
import type { OrderDependencies } from './dependencies.js';
import { queueRefund } from './order-messages.js';
import { canMove, moveOrder } from './order-status.js';
import { orderView } from './order-view.js';

const ACTOR = 'payment-service';
const LATE = 'The payment arrived after the order could no longer be kept; it is refunded';

/**
 * Moves the order by payment-service's result. A result moves an order once: a repeat, or a result
 * that no longer applies, changes nothing and is answered with the order as it is (never a 409, which
 * payment-service's outbox would retry forever).
 */
export async function applyPaymentResult(result: PaymentResult, deps: OrderDependencies): Promise<Order> {
  switch (result.status) {
    case 'approved':
      await settleApproved(result.orderId, deps);
      break;
    case 'rejected':
    case 'cancelled':
      await moveIfPossible(result.orderId, 'payment_failed', `The payment was ${result.status}`);
      break;
    case 'refunded':
      await moveIfPossible(result.orderId, 'refunded', 'The payment was refunded');
      break;
    case 'charged_back':
      // The buyer's bank took the money back: staff decide what happens to the goods.
      await noteChargeback(result.orderId);
      break;
  }
  return orderView(result.orderId);
}

/**
 * Sells the held stock before marking the order paid. product-service answers a commit made after
 * the reservation ran out (or was released) with a 409: the money then goes back. A commit that
 * cannot be made now fails the request, so payment-service's outbox sends the result again.
 */
async function settleApproved(orderId: string, deps: OrderDependencies): Promise<void> {
  const order = await existing(orderId);
  if (order.status !== 'pending_payment') return settleUnderLock(orderId);
  try {
    await deps.catalog.commit(orderId);
  } catch (error) {
    if (error instanceof Problem && error.status === 409) return settleUnderLock(orderId);
    throw error;
  }
  await settleUnderLock(orderId, { stockSold: true });
}

/**
 * A payment for an order that was cancelled, failed or expired before it came is given back, once;
 * an order still waiting is paid when its stock was sold, else cancelled and refunded. The
 * order is read again under its lock, since the expiry job or the customer may have moved it meanwhile.
 */
async function settleUnderLock(orderId: string, { stockSold = false } = {}): Promise<void> {
  await inTransaction(async (transaction) => {
    const order = (await lockOrder(orderId, transaction))!;
    if (order.status === 'pending_payment' && stockSold) {
      await moveOrder(order, 'paid', { actor: ACTOR }, transaction);
    } else if (order.status === 'pending_payment') {
      await moveOrder(order, 'cancelled', { actor: ACTOR, reason: LATE, refund: true }, transaction);
    } else if (['cancelled', 'payment_failed', 'failed'].includes(order.status) && !order.refundRequested) {
      await updateOrder(orderId, { refundRequested: true, statusReason: LATE }, transaction);
      await queueRefund(orderId, LATE, transaction);
    }
  });
}

async function moveIfPossible(orderId: string, to: StoredOrder['status'], reason?: string): Promise<void> {
  await inTransaction(async (transaction) => {
    const order = await lockOrder(orderId, transaction);
    if (!order) throw problems.notFound('The order');
    if (canMove(order.status, to)) await moveOrder(order, to, { actor: ACTOR, reason }, transaction);
  });
}

async function noteChargeback(orderId: string): Promise<void> {
  await existing(orderId);
  await updateOrder(orderId, { statusReason: 'The payment was charged back' });
}

async function existing(orderId: string): Promise<StoredOrder> {
  const order = await findOrder(orderId);
  if (!order) throw problems.notFound('The order');
  return order;
}
