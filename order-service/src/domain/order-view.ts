import type { Order, OrderListQuery, OrderPage, OrderSummary } from '@escalable/shop-sdk';
import type { AccessClaims } from '@escalable/shop-sdk/internal';
import { problems } from '@escalable/shop-sdk';
import { hasPermission } from '@escalable/shop-sdk/server';
import { findOrder, historyOf, linesOf, listOrders, type OrderRow, type StoredOrder } from '../db/orders.js';

/** The order with its lines and history, as every route answers it. */
export async function orderView(orderId: string): Promise<Order> {
  const order = await findOrder(orderId);
  if (!order) throw problems.notFound('The order');
  return withDetails(order);
}

/** The caller's own order, or any with orders:read-all; another customer's is not found, as if absent. */
export async function readOrderAs(orderId: string, claims: AccessClaims): Promise<Order> {
  const order = await findOrder(orderId);
  if (!order || !(order.customerId === claims.sub || hasPermission(claims, 'orders:read-all')))
    throw problems.notFound('The order');
  return withDetails(order);
}

/** The caller's orders; staff with orders:read-all see everyone's, filtered by customer and dates too. */
export async function listOrdersAs(
  query: Required<Pick<OrderListQuery, 'limit' | 'offset'>> & Omit<OrderListQuery, 'limit' | 'offset'>,
  claims: AccessClaims,
): Promise<OrderPage> {
  const staff = hasPermission(claims, 'orders:read-all');
  if (!staff && (query.customerId !== undefined || query.from !== undefined || query.to !== undefined))
    throw problems.forbidden('Only staff filter orders by customer or date', {
      extensions: { permission: 'orders:read-all' },
    });
  const { items, total } = await listOrders(
    {
      customerId: staff ? query.customerId : claims.sub,
      status: query.status,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
    },
    query.limit,
    query.offset,
  );
  return { items: items.map(summaryOf), total, limit: query.limit, offset: query.offset };
}

function summaryOf(order: OrderRow | StoredOrder): OrderSummary {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    total: { amount: order.total, currency: order.currency },
    itemCount: order.itemCount,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

async function withDetails(order: StoredOrder): Promise<Order> {
  const [lines, history] = await Promise.all([linesOf(order.id), historyOf(order.id)]);
  const money = (amount: number) => ({ amount, currency: order.currency });
  return {
    ...summaryOf(order),
    lines: lines.map((line) => ({
      variantId: line.variantId,
      productId: line.productId,
      productName: line.productName,
      sku: line.sku,
      options: line.options,
      quantity: line.quantity,
      unitPrice: money(line.unitPrice),
      lineTotal: money(line.unitPrice * line.quantity),
    })),
    shippingAddress: order.shippingAddress,
    checkoutUrl: order.status === 'pending_payment' ? order.checkoutUrl : null,
    expiresAt: order.expiresAt.toISOString(),
    statusReason: order.statusReason,
    carrier: order.carrier,
    trackingNumber: order.trackingNumber,
    history: history.map((change) => ({
      from: change.fromStatus,
      to: change.toStatus,
      at: change.at.toISOString(),
      actor: change.actor,
      reason: change.reason,
    })),
  };
}
