import { createHash, randomUUID } from 'node:crypto';
import { Problem, problems, type PaymentView, type RefundRequest } from '@escalable/shop-sdk';
import {
  addPaymentEvent,
  inTransaction,
  paymentById,
  paymentOfOrder,
  type StoredPayment,
} from '../db/payments.js';
import {
  doneRefundsTotal,
  dropRequestedRefund,
  insertRefund,
  markRefundDone,
  refundByKey,
  refundsTotal,
  type StoredRefund,
} from '../db/refunds.js';
import type { PaymentDependencies } from './dependencies.js';
import { REFUNDABLE } from './payment-status.js';
import { viewOf } from './payment-view.js';
import { moveStatus } from './settlement.js';

/**
 * Gives back the order's payment, or part of it, through MercadoPago, and answers the payment after.
 * The amount is set aside first (under the row lock), so two refunds at once cannot give back more
 * than was paid; MercadoPago is asked with a key derived from the caller's, so a repeat after a lost
 * answer refunds once. A repeat with the same key answers the payment as it is; another request with
 * the same key is a 422. A 409 when nothing paid is left to refund or the amount exceeds what remains.
 */
export async function refundPayment(
  orderId: string,
  request: RefundRequest,
  idempotencyKey: string,
  deps: PaymentDependencies,
): Promise<PaymentView> {
  const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const { payment, refund } = await setAsideRefund(orderId, request, idempotencyKey, requestHash);
  if (refund.status === 'requested') {
    const providerRefund = await deps.mercadopago
      .refund(
        payment.providerPaymentId!,
        { amount: refund.amount, currency: payment.currency },
        // From the caller's key, not the refund row: a repeat after an answer that was lost on the way
        // (the row then dropped) reaches MercadoPago with the same key and refunds once.
        createHash('sha256').update(`refund\n${payment.id}\n${idempotencyKey}`).digest('hex'),
      )
      .catch(async (error: unknown) => {
        // MercadoPago was not reached or refused: the amount is free again, and a repeat asks anew.
        await dropRequestedRefund(refund.id);
        throw error;
      });
    await recordRefund(payment.id, { ...refund, providerRefundId: providerRefund.id }, request.reason);
  }
  return viewOf((await paymentById(payment.id))!);
}

/**
 * Under the payment's row lock: the refund this key already asked for, or a new one counted against
 * what remains (so two refunds at once cannot give back more than was paid).
 */
async function setAsideRefund(
  orderId: string,
  request: RefundRequest,
  idempotencyKey: string,
  requestHash: string,
): Promise<{ payment: StoredPayment; refund: StoredRefund }> {
  return inTransaction(async (transaction) => {
    const payment = await paymentOfOrder(orderId, transaction);
    if (!payment) throw problems.notFound(`The payment of order ${orderId}`);
    const earlier = await refundByKey(payment.id, idempotencyKey, transaction);
    if (earlier) {
      if (earlier.requestHash !== requestHash) throw keyReused();
      return { payment, refund: earlier };
    }
    if (!REFUNDABLE.includes(payment.status))
      throw problems.conflict(
        'nothing-to-refund',
        `The payment is ${payment.status}: nothing paid is left to refund`,
        {
          status: payment.status,
        },
      );
    if (request.amount && request.amount.currency !== payment.currency)
      throw problems.validation([
        {
          in: 'body',
          name: 'amount.currency',
          reason: `must be ${payment.currency}, the payment's currency`,
        },
      ]);
    const remaining = payment.amount - (await refundsTotal(payment.id, transaction));
    const amount = request.amount?.amount ?? remaining;
    if (amount > remaining || amount <= 0)
      throw problems.conflict(
        'refund-exceeds-payment',
        `Only ${remaining} of the payment is left to refund`,
        {
          remaining: { amount: remaining, currency: payment.currency },
        },
      );
    const refund: StoredRefund = {
      id: randomUUID(),
      paymentId: payment.id,
      requestHash,
      amount,
      status: 'requested',
    };
    await insertRefund({ ...refund, idempotencyKey, reason: request.reason }, transaction);
    return { payment, refund };
  });
}

/** Marks the refund done and moves the payment to partially or fully refunded, with its history. */
async function recordRefund(
  paymentId: string,
  refund: { id: string; amount: number; providerRefundId: string },
  reason: string,
) {
  await inTransaction(async (transaction) => {
    const payment: StoredPayment = (await paymentById(paymentId, transaction))!;
    await markRefundDone(refund.id, refund.providerRefundId, transaction);
    // A webhook about the refund may have counted it already: the larger count is the true one.
    const refundedAmount = Math.max(payment.refundedAmount, await doneRefundsTotal(paymentId, transaction));
    const status = refundedAmount >= payment.amount ? 'refunded' : 'partially_refunded';
    const event = {
      source: 'service' as const,
      detail: `Refund ${refund.providerRefundId} of ${refund.amount} ${payment.currency}: ${reason}`,
    };
    if (status === payment.status && refundedAmount === payment.refundedAmount)
      await addPaymentEvent(
        paymentId,
        { ...event, status, providerPaymentId: payment.providerPaymentId },
        transaction,
      );
    else
      await moveStatus(
        payment,
        { status, refundedAmount, providerPaymentId: payment.providerPaymentId },
        event,
        transaction,
      );
  });
}

function keyReused() {
  return new Problem({
    status: 422,
    type: 'idempotency-key-reused',
    title: 'The Idempotency-Key was used for another request',
    detail: 'This Idempotency-Key was already used with a different body; use a new key for a new refund',
  });
}
