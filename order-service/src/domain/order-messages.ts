import type { Transaction } from 'sequelize';
import type { NotificationData, NotificationRequest, RefundRequest } from '@escalable/shop-sdk';
import { enqueueOutbox } from '@escalable/shop-sdk/server';

type OrderNotification = Exclude<keyof NotificationData, 'welcome' | 'password-changed'>;

/**
 * Queues a message to the order's customer, by e-mail and SMS, sent once the transaction commits.
 * notification-service reads the contact and locale from the user id, so the message carries neither,
 * and skips the SMS of a customer without a phone.
 */
export async function queueCustomerNotice<Type extends OrderNotification>(
  order: { id: string; customerId: string },
  type: Type,
  data: Omit<NotificationData[Type], 'orderId'>,
  transaction: Transaction,
): Promise<void> {
  const body: NotificationRequest = {
    type,
    recipient: { userId: order.customerId },
    channels: ['email', 'sms'],
    data: { orderId: order.id, ...data },
  };
  // One notice of each type per order: a status is reached once.
  await enqueueOutbox(transaction, {
    target: 'notification-service',
    method: 'POST',
    path: '/internal/notifications',
    body,
    idempotencyKey: `${type}:${order.id}`,
  });
}

/** Gives the order's held stock back once the transaction commits. */
export async function queueStockRelease(orderId: string, transaction: Transaction): Promise<void> {
  await enqueueOutbox(transaction, {
    target: 'product-service',
    method: 'POST',
    path: `/internal/reservations/${orderId}/release`,
    idempotencyKey: `release:${orderId}`,
  });
}

/** Asks payment-service to give the whole payment back once the transaction commits. */
export async function queueRefund(orderId: string, reason: string, transaction: Transaction): Promise<void> {
  const body: RefundRequest = { reason };
  await enqueueOutbox(transaction, {
    target: 'payment-service',
    method: 'POST',
    path: `/internal/payments/orders/${orderId}/refunds`,
    body,
    idempotencyKey: `refund:${orderId}`,
  });
}

/** Closes the cart the order came from, so the customer's next write starts a new one. */
export async function queueCartConversion(
  cartId: string,
  orderId: string,
  transaction: Transaction,
): Promise<void> {
  await enqueueOutbox(transaction, {
    target: 'cart-service',
    method: 'POST',
    path: `/internal/carts/${cartId}/convert`,
    body: { orderId },
    idempotencyKey: `convert:${cartId}:${orderId}`,
  });
}
