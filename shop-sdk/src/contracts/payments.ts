import type { Money } from './common.js';

export const PAYMENT_STATUSES = [
  'pending',
  'in_process',
  'approved',
  'rejected',
  'cancelled',
  'refunded',
  'partially_refunded',
  'charged_back',
  'expired',
] as const;
/**
 * `pending`: the preference waits for the buyer. `in_process`: MercadoPago is reviewing a payment.
 * `partially_refunded`: approved, with part of it given back. `expired`: the preference ran out with no
 * payment. A payment never moves back from `rejected`, `cancelled`, `refunded` or `charged_back`; only
 * another attempt on the same checkout (a retry after a rejected card, or one begun before the
 * checkout expired) moves a rejected, cancelled or expired checkout on, to `in_process` or `approved`.
 */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * `POST /internal/payments` (order-service; header Idempotency-Key, a key derived from the order). The
 * same key and body answer the same checkout; the same key with another body is a 422; another
 * request for an order that already has a live checkout is a 409; MercadoPago down is a 503.
 */
export interface CheckoutRequest {
  orderId: string;
  customerId: string;
  /** The order total; the items' unit prices times quantities must add up to it. */
  amount: Money;
  items: { title: string; quantity: number; unitPrice: Money }[];
  payer: { email: string; name?: string };
  /** ISO 8601 date-time: the preference expires with the order's reservation. */
  expiresAt: string;
}

export interface PaymentCheckout {
  paymentId: string;
  orderId: string;
  preferenceId: string;
  /** MercadoPago's checkout page (the preference's init_point), where the buyer pays. */
  checkoutUrl: string;
  status: PaymentStatus;
  expiresAt: string;
}

/**
 * `POST /internal/payments/orders/:orderId/refunds` (Idempotency-Key); `amount` omitted refunds what
 * remains. A 409 when nothing approved is left to refund or the amount exceeds what remains.
 */
export interface RefundRequest {
  amount?: Money;
  reason: string;
}

/** One line of a payment's history: a provider event, a status change, a refund. */
export interface PaymentEvent {
  at: string;
  source: 'provider' | 'webhook' | 'reconciliation' | 'service';
  status: PaymentStatus;
  detail?: string;
  providerPaymentId?: string;
}

/** `GET /api/payments/orders/:orderId` (the order's customer or payments:read-all; anyone else 404). */
export interface PaymentView {
  paymentId: string;
  orderId: string;
  status: PaymentStatus;
  amount: Money;
  /** What was given back so far (0 when nothing). */
  refunded: Money;
  providerPaymentId: string | null;
  checkoutUrl: string;
  /** Oldest first. */
  history: PaymentEvent[];
}

export const PAYMENT_RESULT_STATUSES = [
  'approved',
  'rejected',
  'cancelled',
  'refunded',
  'charged_back',
] as const;
export type PaymentResultStatus = (typeof PAYMENT_RESULT_STATUSES)[number];

/**
 * What payment-service reports to order-service through its outbox:
 * `POST /internal/orders/:orderId/payment-result`, Idempotency-Key `${paymentId}:${status}`. Each status
 * is reported once; a partial refund is not reported (its caller has the answer), the full one is.
 */
export interface PaymentResult {
  orderId: string;
  paymentId: string;
  status: PaymentResultStatus;
  amount: Money;
  /** With `refunded`: what was given back in all. */
  refunded?: Money;
  providerPaymentId: string;
  occurredAt: string;
}
