import { hasPermission } from '@escalable/shop-sdk/server';
import { problems, type PaymentView } from '@escalable/shop-sdk';
import { type AccessClaims } from '@escalable/shop-sdk/internal';
import { paymentEvents, paymentOfOrder, type StoredPayment } from '../db/payments.js';

/** The order's payment with its history, for services (order-service). */
export async function readPayment(orderId: string): Promise<PaymentView> {
  const payment = await paymentOfOrder(orderId);
  if (!payment) throw problems.notFound(`The payment of order ${orderId}`);
  return viewOf(payment);
}

/**
 * The order's payment as its customer, or staff with payments:read-all, see it. Anyone else gets the
 * same 404 as for an order with no payment, so the answer does not tell which orders exist.
 */
export async function readPaymentAs(orderId: string, claims: AccessClaims): Promise<PaymentView> {
  const payment = await paymentOfOrder(orderId);
  if (!payment || (payment.customerId !== claims.sub && !hasPermission(claims, 'payments:read-all')))
    throw problems.notFound(`The payment of order ${orderId}`);
  return viewOf(payment);
}

export async function viewOf(payment: StoredPayment): Promise<PaymentView> {
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    status: payment.status,
    amount: { amount: payment.amount, currency: payment.currency },
    refunded: { amount: payment.refundedAmount, currency: payment.currency },
    providerPaymentId: payment.providerPaymentId,
    checkoutUrl: payment.checkoutUrl,
    history: await paymentEvents(payment.id),
  };
}
