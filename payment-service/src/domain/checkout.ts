import { createHash, randomUUID } from 'node:crypto';
import { Problem, problems, type CheckoutRequest, type PaymentCheckout } from '@escalable/shop-sdk';
import { constraintProblems } from '@escalable/shop-sdk/server';
import {
  addPaymentEvent,
  inTransaction,
  insertPaymentOnce,
  paymentByKey,
  paymentOfOrder,
  type StoredPayment,
} from '../db/payments.js';
import type { PaymentDependencies } from './dependencies.js';
import { REFUNDABLE } from './payment-status.js';

const LIVE = ['pending', 'in_process', ...REFUNDABLE];

const checkoutConflicts = constraintProblems({
  conflicts: { payments_one_live_per_order: () => liveCheckoutExists() },
});

/**
 * Opens the order's MercadoPago checkout: checks the request adds up, asks MercadoPago for a Checkout
 * Pro preference, and stores the payment with its first history event. A repeat of the same request
 * (same key) answers the same checkout; the same key with another request is a 422, and another
 * request for an order that already has a live checkout a 409. MercadoPago down is a 503 with nothing
 * stored.
 */
export async function createCheckout(
  request: CheckoutRequest,
  idempotencyKey: string,
  deps: PaymentDependencies,
): Promise<PaymentCheckout> {
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const earlier = await paymentByKey(idempotencyKey);
  if (earlier) return repeatOf(earlier, requestHash);
  const live = await paymentOfOrder(request.orderId);
  if (live && LIVE.includes(live.status)) throw liveCheckoutExists(live.id);
  assertAddsUp(request);

  const expiresAt = new Date(request.expiresAt);
  const preference = await deps.mercadopago.createPreference(
    {
      orderId: request.orderId,
      items: request.items,
      payer: request.payer,
      expiresAt,
      notificationUrl: deps.notificationUrl,
      returnUrl: deps.returnUrl(request.orderId),
    },
    // MercadoPago answers a repeat of the key with the same preference, so two racing repeats of one
    // request end up with one preference.
    createHash('sha256').update(`${idempotencyKey}\n${requestHash}`).digest('hex'),
  );
  const stored = await checkoutConflicts(() =>
    inTransaction(async (transaction) => {
      const id = randomUUID();
      const inserted = await insertPaymentOnce(
        {
          id,
          orderId: request.orderId,
          customerId: request.customerId,
          idempotencyKey,
          requestHash,
          preferenceId: preference.id,
          checkoutUrl: preference.checkoutUrl,
          amount: request.amount.amount,
          currency: request.amount.currency,
          expiresAt,
        },
        // Looked at by reconciliation once it has been pending that long without news.
        new Date(Date.now() + deps.reconcileAfterSeconds * 1000),
        transaction,
      );
      if (inserted)
        await addPaymentEvent(
          id,
          { source: 'service', status: 'pending', detail: `MercadoPago preference ${preference.id} created` },
          transaction,
        );
      return (await paymentByKey(idempotencyKey, transaction))!;
    }),
  );
  return repeatOf(stored, requestHash);
}

function repeatOf(payment: StoredPayment, requestHash: string): PaymentCheckout {
  if (payment.requestHash !== requestHash)
    throw new Problem({
      status: 422,
      type: 'idempotency-key-reused',
      title: 'The Idempotency-Key was used for another request',
      detail: 'This Idempotency-Key was already used with a different body; use a new key for a new checkout',
      extensions: { paymentId: payment.id },
    });
  return {
    paymentId: payment.id,
    orderId: payment.orderId,
    preferenceId: payment.preferenceId,
    checkoutUrl: payment.checkoutUrl,
    status: payment.status,
    expiresAt: payment.expiresAt.toISOString(),
  };
}

function liveCheckoutExists(paymentId?: string) {
  return problems.conflict(
    'checkout-exists',
    'The order already has a checkout that can be paid, or a payment; it can have only one',
    paymentId ? { paymentId } : undefined,
  );
}

/** The lines must add up to the total in its currency, and the checkout must outlive the request. */
function assertAddsUp(request: CheckoutRequest): void {
  const { currency } = request.amount;
  const invalid = request.items.flatMap((item, index) =>
    item.unitPrice.currency === currency
      ? []
      : [
          {
            in: 'body',
            name: `items.${index}.unitPrice.currency`,
            reason: `must be ${currency}, as amount is`,
          },
        ],
  );
  const sum = request.items.reduce((total, item) => total + item.unitPrice.amount * item.quantity, 0);
  if (invalid.length === 0 && sum !== request.amount.amount)
    invalid.push({ in: 'body', name: 'amount.amount', reason: `must be ${sum}, what the items add up to` });
  if (new Date(request.expiresAt).getTime() <= Date.now())
    invalid.push({ in: 'body', name: 'expiresAt', reason: 'must be in the future' });
  if (invalid.length > 0) throw problems.validation(invalid);
}
