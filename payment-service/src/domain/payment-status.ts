import type { PaymentResultStatus, PaymentStatus } from '@escalable/shop-sdk';
import type { ProviderPayment } from './mercadopago.js';

/**
 * Where a payment may go from each status. Money taken can only go back (refunds, a chargeback); a
 * rejected, cancelled, refunded or charged-back payment never moves again, so a late or repeated
 * notification cannot undo it. An expired checkout still takes a payment the buyer began before it
 * expired: the money is real, and order-service refunds it when the order is gone.
 */
const NEXT: Record<PaymentStatus, readonly PaymentStatus[]> = {
  pending: ['in_process', 'approved', 'rejected', 'cancelled', 'expired'],
  in_process: ['approved', 'rejected', 'cancelled'],
  approved: ['partially_refunded', 'refunded', 'charged_back'],
  partially_refunded: ['refunded', 'charged_back'],
  expired: ['in_process', 'approved'],
  rejected: [],
  cancelled: [],
  refunded: [],
  charged_back: [],
};

export const canMove = (from: PaymentStatus, to: PaymentStatus) => NEXT[from].includes(to);

/**
 * How much an attempt tells about the checkout: one that took the money (3) over one still under way
 * (2) over one that failed or never happened (1). A buyer may pay again on the same checkout after a
 * rejected card, so a later attempt counts only when it tells more than the one on record.
 */
export function attemptRank(status: PaymentStatus): number {
  if (['approved', 'partially_refunded', 'refunded', 'charged_back'].includes(status)) return 3;
  return status === 'pending' || status === 'in_process' ? 2 : 1;
}

/** Statuses that hold the buyer's money: refunds are taken from these. */
export const REFUNDABLE: readonly PaymentStatus[] = ['approved', 'partially_refunded'];

const REPORTED: readonly PaymentStatus[] = ['approved', 'rejected', 'cancelled', 'refunded', 'charged_back'];

/** The statuses order-service is told about (PaymentResult). */
export const isReported = (status: PaymentStatus): status is PaymentResultStatus => REPORTED.includes(status);

/**
 * The shop's status for what MercadoPago says. `authorized` (reserved, not captured) is still in
 * process; `in_mediation` (a dispute) says nothing final yet, so it changes nothing (undefined). An
 * approved payment with part of it given back is `partially_refunded`.
 */
export function statusOf(payment: ProviderPayment): PaymentStatus | undefined {
  switch (payment.status) {
    case 'pending':
      return 'pending';
    case 'authorized':
    case 'in_process':
      return 'in_process';
    case 'approved':
      if (payment.amount && payment.refunded >= payment.amount.amount && payment.amount.amount > 0)
        return 'refunded';
      return payment.refunded > 0 ? 'partially_refunded' : 'approved';
    case 'rejected':
      return 'rejected';
    case 'cancelled':
      return 'cancelled';
    case 'refunded':
      return 'refunded';
    case 'charged_back':
      return 'charged_back';
    default:
      return undefined;
  }
}
