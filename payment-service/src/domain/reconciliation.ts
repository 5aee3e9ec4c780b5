import { startPeriodicJob, type PeriodicJob } from '@escalable/shop-sdk/server';
import { claimUnsettledPayments, inTransaction, paymentById, type StoredPayment } from '../db/payments.js';
import type { PaymentDependencies } from './dependencies.js';
import type { ProviderPayment } from './mercadopago.js';
import { attemptRank, statusOf } from './payment-status.js';
import { moveStatus, settleProviderPayment } from './settlement.js';

/**
 * Settles payments whose webhook never came: on a timer in every instance, claims payments pending
 * longer than the configured time (each instance claims other ones), reads their order's payments from
 * MercadoPago and settles them as a webhook would; a checkout that expired with no payment at all
 * becomes `expired`. A payment MercadoPago cannot be asked about now is claimed again next time.
 */
export function startReconciliation(deps: PaymentDependencies, intervalMs: number): PeriodicJob {
  return startPeriodicJob({
    name: 'payment reconciliation',
    intervalMs,
    logger: deps.logger,
    run: async () => {
      const claimed = await claimUnsettledPayments(deps.reconcileAfterSeconds, 20);
      for (const payment of claimed) {
        try {
          await reconcilePayment(payment, deps);
        } catch (error) {
          deps.logger.warn({ err: error, paymentId: payment.id }, 'payment not reconciled yet');
        }
      }
    },
  });
}

export async function reconcilePayment(payment: StoredPayment, deps: PaymentDependencies): Promise<void> {
  const found = await deps.mercadopago.paymentsOfOrder(payment.orderId);
  const ours = found.filter(
    (each) => each.preferenceId === null || each.preferenceId === payment.preferenceId,
  );
  // A buyer may try again after a rejected card: the attempt that tells most is the one that counts.
  const [telling] = ours.sort((a, b) => rankOf(b) - rankOf(a));
  if (telling) await settleProviderPayment(telling, 'reconciliation', deps.logger);
  else if (payment.expiresAt.getTime() <= Date.now()) await expireCheckout(payment.id);
}

const rankOf = (payment: ProviderPayment) => attemptRank(statusOf(payment) ?? 'pending');

async function expireCheckout(paymentId: string): Promise<void> {
  await inTransaction(async (transaction) => {
    const payment = (await paymentById(paymentId, transaction))!;
    if (payment.status !== 'pending') return;
    await moveStatus(
      payment,
      { status: 'expired', refundedAmount: 0, providerPaymentId: null },
      { source: 'reconciliation', detail: 'The checkout expired with no payment' },
      transaction,
    );
  });
}
