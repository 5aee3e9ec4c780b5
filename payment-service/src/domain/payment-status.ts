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
      if (payment.refunded >= payment.amount.amount && payment.amount.amount > 0) return 'refunded';
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
