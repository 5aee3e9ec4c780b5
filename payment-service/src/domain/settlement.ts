import type { Transaction } from 'sequelize';
import type { PaymentEvent, PaymentResult, PaymentStatus } from '@escalable/shop-sdk';
import { enqueueOutbox, type Logger } from '@escalable/shop-sdk/server';
import {
  addPaymentEvent,
  hasPaymentEvent,
  inTransaction,
  paymentOfOrder,
  paymentOfPreference,
  updatePayment,
  type StoredPayment,
} from '../db/payments.js';
import type { ProviderPayment } from './mercadopago.js';
import { attemptRank, canMove, isReported, statusOf } from './payment-status.js';

/**
 * Applies what MercadoPago says about a payment to the shop's record of it (found by its preference,
 * else by the order it names), under the record's row lock: a move the status rules allow is written
 * with its history event and, for a result order-service acts on, a PaymentResult in the outbox.
 * Anything else (a duplicate, a notification older than what is known, a payment of no order of
 * ours) changes nothing. Another attempt on the same checkout is taken only when it tells more.
 * Money taken in another amount or currency than the record's never settles it: the record keeps its
 * status with a history event saying so, for staff to follow up.
 * Answers the status the record has afterwards, if there is a record.
 */
export async function settleProviderPayment(
  payment: ProviderPayment,
  source: PaymentEvent['source'],
  logger: Logger,
): Promise<PaymentStatus | undefined> {
  return inTransaction(async (transaction) => {
    const record = await recordOf(payment, transaction);
    if (!record) return undefined;
    const status = statusOf(payment);
    if (status === undefined) return record.status;
    if (attemptRank(status) === 3 && !paysExactly(payment, record)) {
      const detail = `amount-mismatch: paid ${moneyText(payment.amount)}, expected ${moneyText(record)}`;
      const mismatch = { detail, providerPaymentId: payment.id };
      if (await hasPaymentEvent(record.id, mismatch, transaction)) return record.status;
      logger.warn({ paymentId: record.id, ...mismatch }, 'payment not settled');
      await addPaymentEvent(record.id, { ...mismatch, source, status: record.status }, transaction);
      return record.status;
    }
    const newAttempt = record.providerPaymentId !== null && record.providerPaymentId !== payment.id;
    if (newAttempt) {
      // Another attempt on the same checkout: it replaces the one on record only when it tells more
      // (money taken after a rejected card), never the other way (a late notice of the rejection).
      if (attemptRank(status) <= attemptRank(record.status)) return record.status;
      await moveStatus(
        record,
        { status, refundedAmount: Math.min(record.amount, payment.refunded), providerPaymentId: payment.id },
        { source, detail: `Another attempt on the checkout: ${payment.statusDetail ?? payment.status}` },
        transaction,
      );
      return status;
    }
    const refundedAmount = Math.min(record.amount, Math.max(record.refundedAmount, payment.refunded));
    const moved = status !== record.status;
    // The same status with more refunded is a further partial refund, which is news too.
    if (moved ? !canMove(record.status, status) : refundedAmount === record.refundedAmount)
      return record.status;
    await moveStatus(
      record,
      { status, refundedAmount, providerPaymentId: payment.id },
      { source, detail: payment.statusDetail ?? undefined },
      transaction,
    );
    return status;
  });
}

/**
 * Whether MercadoPago took exactly the amount on record, in its currency: a checkout someone else
 * opened naming our order (its external_reference) can ask for any price.
 */
function paysExactly(payment: ProviderPayment, record: StoredPayment): boolean {
  return payment.amount?.currency === record.currency && payment.amount.amount === record.amount;
}

const moneyText = (money: { amount: number; currency: string } | null) =>
  money ? `${money.amount} ${money.currency}` : 'an amount in no currency';

async function recordOf(payment: ProviderPayment, transaction: Transaction) {
  if (payment.preferenceId) {
    const record = await paymentOfPreference(payment.preferenceId, transaction);
    if (record) return record;
  }
  return payment.orderId && /^[0-9a-f-]{36}$/i.test(payment.orderId)
    ? paymentOfOrder(payment.orderId.toLowerCase(), transaction)
    : undefined;
}

/**
 * Writes a status change the caller has decided on (it holds the row lock): the record, its history
 * event, and the PaymentResult for order-service when it is one it acts on.
 */
export async function moveStatus(
  record: StoredPayment,
  change: { status: PaymentStatus; refundedAmount: number; providerPaymentId: string | null },
  event: { source: PaymentEvent['source']; detail?: string },
  transaction: Transaction,
): Promise<void> {
  await updatePayment(record.id, change, transaction);
  await addPaymentEvent(
    record.id,
    { ...event, status: change.status, providerPaymentId: change.providerPaymentId },
    transaction,
  );
  if (!isReported(change.status) || change.providerPaymentId === null) return;
  const result: PaymentResult = {
    orderId: record.orderId,
    paymentId: record.id,
    status: change.status,
    amount: { amount: record.amount, currency: record.currency },
    ...(change.status === 'refunded'
      ? { refunded: { amount: change.refundedAmount, currency: record.currency } }
      : {}),
    providerPaymentId: change.providerPaymentId,
    occurredAt: new Date().toISOString(),
  };
  await enqueueOutbox(transaction, {
    target: 'order-service',
    method: 'POST',
    path: `/internal/orders/${record.orderId}/payment-result`,
    body: result,
    idempotencyKey: `${record.id}:${change.status}`,
  });
}
