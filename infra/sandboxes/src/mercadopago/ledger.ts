import { randomInt, randomUUID } from 'node:crypto';
import type { RecentList } from '../recent-list.js';
import type {
  CheckoutOutcome,
  NotificationAction,
  SandboxPayment,
  SandboxPreference,
  SandboxRefund,
} from './mercadopago-sandbox.js';
import { badRequestError, paymentNotFoundError } from './mercadopago-errors.js';
import { fromCents, toCents } from './money.js';
import type { PreferenceRequest } from './preference-request.js';

/** What the sandbox's stories read and change: its account, what it holds, and who hears of it. */
export interface Ledger {
  /** Where the sandbox listens: init_points point there. */
  baseUrl: string;
  collectorId: number;
  preferences: RecentList<SandboxPreference>;
  payments: RecentList<SandboxPayment>;
  notify(payment: SandboxPayment, action: NotificationAction): void;
  nextId(): number;
}

/** Why a checkout page takes no payment: a form it does not know (400), a preference never created (404) or expired (410). */
export class CheckoutRefusal extends Error {
  constructor(
    readonly status: 400 | 404 | 410,
    message: string,
  ) {
    super(message);
  }
}

// Real ids are ten or eleven digits. Starting at a random one keeps a restarted sandbox from handing
// out ids a payment-service database already holds for other payments.
export function idSequence(): () => number {
  let next = randomInt(10_000_000_000, 90_000_000_000);
  return () => next++;
}

export function createPreference(ledger: Ledger, request: PreferenceRequest): SandboxPreference {
  const id = `${ledger.collectorId}-${randomUUID()}`;
  const cents = request.items.reduce((sum, item) => sum + toCents(item.unitPrice) * item.quantity, 0);
  const preference: SandboxPreference = {
    ...request,
    id,
    total: fromCents(cents),
    currencyId: request.items[0]!.currencyId,
    initPoint: `${ledger.baseUrl}/checkout/v1/redirect?pref_id=${encodeURIComponent(id)}`,
    merchantOrderId: ledger.nextId(),
    dateCreated: new Date().toISOString(),
  };
  ledger.preferences.add(preference);
  return preference;
}

/** The preference a checkout page shows, or why it cannot be paid. */
export function openPreference(ledger: Ledger, preferenceId: string): SandboxPreference {
  const preference = ledger.preferences.find(preferenceId);
  if (!preference) throw new CheckoutRefusal(404, 'This payment link does not exist.');
  const now = Date.now();
  const closed =
    preference.expires &&
    ((preference.expirationDateTo !== null && Date.parse(preference.expirationDateTo) < now) ||
      (preference.expirationDateFrom !== null && Date.parse(preference.expirationDateFrom) > now));
  if (closed) throw new CheckoutRefusal(410, 'This payment link has expired.');
  return preference;
}

/** The buyer approves or rejects on the checkout page: a payment for the whole preference. */
export function payPreference(
  ledger: Ledger,
  preferenceId: string,
  outcome: CheckoutOutcome,
): SandboxPayment {
  const preference = openPreference(ledger, preferenceId);
  const now = new Date().toISOString();
  const approved = outcome === 'approve';
  const payment: SandboxPayment = {
    id: ledger.nextId(),
    preferenceId: preference.id,
    merchantOrderId: preference.merchantOrderId,
    externalReference: preference.externalReference,
    status: approved ? 'approved' : 'rejected',
    statusDetail: approved ? 'accredited' : 'cc_rejected_other_reason',
    transactionAmount: preference.total,
    amountRefunded: 0,
    currencyId: preference.currencyId,
    description: preference.items[0]!.title,
    payerEmail: preference.payer.email,
    notificationUrl: preference.notificationUrl,
    refunds: [],
    dateCreated: now,
    dateApproved: approved ? now : null,
    dateLastUpdated: now,
  };
  ledger.payments.add(payment);
  ledger.notify(payment, 'payment.created');
  return payment;
}

/** A refund of `amount`, or of all that is left when omitted; the payment is refunded once nothing is. */
export function refundPayment(ledger: Ledger, paymentId: number, amount: number | undefined): SandboxRefund {
  const payment = findPayment(ledger, paymentId);
  if (payment.status !== 'approved')
    throw badRequestError(2063, 'The action requested is not valid for the current payment state');
  const left = toCents(payment.transactionAmount) - toCents(payment.amountRefunded);
  const cents = amount === undefined ? left : toCents(amount);
  if (cents > left)
    throw badRequestError('refund_amount_exceeds', 'The refund amount exceeds the available balance');
  const now = new Date().toISOString();
  const refund: SandboxRefund = {
    id: ledger.nextId(),
    paymentId: payment.id,
    amount: fromCents(cents),
    status: 'approved',
    dateCreated: now,
  };
  payment.refunds.push(refund);
  payment.amountRefunded = fromCents(toCents(payment.amountRefunded) + cents);
  const whole = cents === left;
  payment.status = whole ? 'refunded' : 'approved';
  payment.statusDetail = whole ? 'refunded' : 'partially_refunded';
  payment.dateLastUpdated = now;
  ledger.notify(payment, 'payment.updated');
  return refund;
}

// The status_detail MercadoPago pairs with each status when nothing more specific happened.
const STATUS_DETAILS: Record<string, string> = {
  pending: 'pending_waiting_payment',
  in_process: 'pending_review_manual',
  approved: 'accredited',
  authorized: 'pending_capture',
  in_mediation: 'in_process',
  rejected: 'cc_rejected_other_reason',
  cancelled: 'by_collector',
  refunded: 'refunded',
  charged_back: 'settled',
};

/** What happens to a payment after the checkout (a chargeback, a manual review): changed, then notified. */
export function changePaymentStatus(ledger: Ledger, paymentId: number, status: string): SandboxPayment {
  const detail = STATUS_DETAILS[status];
  if (!detail)
    throw new Error(`unknown payment status ${status}: one of ${Object.keys(STATUS_DETAILS).join(', ')}`);
  const payment = ledger.payments.find(String(paymentId));
  if (!payment) throw new Error(`no payment ${paymentId} in the sandbox`);
  const now = new Date().toISOString();
  payment.status = status;
  payment.statusDetail = detail;
  payment.dateLastUpdated = now;
  if (status === 'approved') payment.dateApproved ??= now;
  ledger.notify(payment, 'payment.updated');
  return payment;
}

export function findPayment(ledger: Ledger, paymentId: number): SandboxPayment {
  const payment = Number.isSafeInteger(paymentId) ? ledger.payments.find(String(paymentId)) : undefined;
  if (!payment) throw paymentNotFoundError();
  return payment;
}
