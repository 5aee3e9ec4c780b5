import { problems, type Order, type OrderStatusUpdate } from '@escalable/shop-sdk';
import { type AccessClaims } from '@escalable/shop-sdk/internal';
import { hasPermission } from '@escalable/shop-sdk/server';
import { inTransaction, lockOrder } from '../db/orders.js';
import { moveOrder } from './order-status.js';
import { orderView } from './order-view.js';

/**
 * The customer (or staff with orders:manage) cancels an order: an unpaid one gives its stock back, a
 * paid one not yet shipped asks payment-service for a refund and becomes refunded once it is confirmed.
 */
export async function cancelOrder(orderId: string, reason: string | undefined, claims: AccessClaims) {
  await inTransaction(async (transaction) => {
    const order = await lockOrder(orderId, transaction);
    if (!order || !(order.customerId === claims.sub || hasPermission(claims, 'orders:manage')))
      throw problems.notFound('The order');
    await moveOrder(
      order,
      'cancelled',
      { actor: claims.sub, reason: reason ?? 'Cancelled by the customer' },
      transaction,
    );
  });
  return orderView(orderId);
}

/** Staff move a paid order along: processing, shipped (with carrier and tracking number), delivered. */
export async function updateFulfilment(
  orderId: string,
  update: OrderStatusUpdate,
  claims: AccessClaims,
): Promise<Order> {
  await inTransaction(async (transaction) => {
    const order = await lockOrder(orderId, transaction);
    if (!order) throw problems.notFound('The order');
    const change =
      update.status === 'shipped'
        ? { carrier: update.carrier, trackingNumber: update.trackingNumber }
        : undefined;
    await moveOrder(order, update.status, { actor: claims.sub, change }, transaction);
  });
  return orderView(orderId);
}
