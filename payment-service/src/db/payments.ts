import { QueryTypes, type Transaction } from 'sequelize';
import type { PaymentEvent as PaymentEventView, PaymentStatus } from '@escalable/shop-sdk';
import { Payment, PaymentEvent } from './models.js';

/** A payment row as the domain reads it. */
export interface StoredPayment {
  id: string;
  orderId: string;
  customerId: string;
  idempotencyKey: string;
  requestHash: string;
  preferenceId: string;
  checkoutUrl: string;
  amount: number;
  currency: string;
  refundedAmount: number;
  status: PaymentStatus;
  providerPaymentId: string | null;
  expiresAt: Date;
}

export type NewPayment = Omit<StoredPayment, 'refundedAmount' | 'status' | 'providerPaymentId'>;

export interface NewPaymentEvent {
  source: PaymentEventView['source'];
  status: PaymentStatus;
  detail?: string;
  providerPaymentId?: string | null;
}

const sequelize = () => Payment.sequelize!;

export function inTransaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
  return sequelize().transaction(work);
}

function toStoredPayment(row: Payment): StoredPayment {
  return {
    id: row.id,
    orderId: row.orderId,
    customerId: row.customerId,
    idempotencyKey: row.idempotencyKey,
    requestHash: row.requestHash,
    preferenceId: row.preferenceId,
    checkoutUrl: row.checkoutUrl,
    amount: row.amount,
    currency: row.currency,
    refundedAmount: row.refundedAmount,
    status: row.status,
    providerPaymentId: row.providerPaymentId,
    expiresAt: row.expiresAt,
  };
}

async function onePayment(
  where: Record<string, unknown>,
  transaction?: Transaction,
): Promise<StoredPayment | undefined> {
  const row = await Payment.findOne({
    where,
    // The newest first: an order whose checkout expired or failed may have a newer one.
    order: [['createdAt', 'DESC']],
    transaction,
    // FOR UPDATE inside a transaction: webhooks, reconciliation and refunds of one payment queue here.
    lock: transaction ? transaction.LOCK.UPDATE : undefined,
  });
  return row ? toStoredPayment(row) : undefined;
}

export const paymentByKey = (idempotencyKey: string, transaction?: Transaction) =>
  onePayment({ idempotencyKey }, transaction);

/** The order's newest payment, locked when a transaction is given. */
export const paymentOfOrder = (orderId: string, transaction?: Transaction) =>
  onePayment({ orderId }, transaction);

/** The payment of a preference, locked when a transaction is given. */
export const paymentOfPreference = (preferenceId: string, transaction?: Transaction) =>
  onePayment({ preferenceId }, transaction);

export const paymentById = (id: string, transaction?: Transaction) => onePayment({ id }, transaction);

/**
 * Inserts the payment unless its idempotency key is taken; answers whether it did. A concurrent insert
 * of the same key waits for the other transaction and then does nothing.
 */
export async function insertPaymentOnce(
  payment: NewPayment,
  reconcileAt: Date,
  transaction: Transaction,
): Promise<boolean> {
  const rows = await sequelize().query<{ id: string }>(
    `INSERT INTO payments (id, order_id, customer_id, idempotency_key, request_hash, preference_id,
       checkout_url, amount, currency, expires_at, reconcile_at)
     VALUES ($id, $orderId, $customerId, $idempotencyKey, $requestHash, $preferenceId, $checkoutUrl,
       $amount, $currency, $expiresAt, $reconcileAt)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    {
      bind: { ...payment, reconcileAt },
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  return rows.length === 1;
}

export async function updatePayment(
  id: string,
  change: { status: PaymentStatus; refundedAmount: number; providerPaymentId: string | null },
  transaction: Transaction,
): Promise<void> {
  await Payment.update(change, { where: { id }, transaction });
}

export async function addPaymentEvent(
  paymentId: string,
  event: NewPaymentEvent,
  transaction: Transaction,
): Promise<void> {
  await PaymentEvent.create(
    {
      paymentId,
      source: event.source,
      status: event.status,
      detail: event.detail ?? null,
      providerPaymentId: event.providerPaymentId ?? null,
    },
    { transaction },
  );
}

/** Whether the payment's history already holds this event (a notification repeated, a reconciliation pass). */
export async function hasPaymentEvent(
  paymentId: string,
  event: { detail: string; providerPaymentId: string },
  transaction: Transaction,
): Promise<boolean> {
  const found = await PaymentEvent.count({
    where: { paymentId, detail: event.detail, providerPaymentId: event.providerPaymentId },
    transaction,
  });
  return found > 0;
}

/** Oldest first. */
export async function paymentEvents(
  paymentId: string,
  transaction?: Transaction,
): Promise<PaymentEventView[]> {
  const rows = await PaymentEvent.findAll({ where: { paymentId }, order: [['id', 'ASC']], transaction });
  return rows.map((row) => ({
    at: row.at.toISOString(),
    source: row.source,
    status: row.status,
    ...(row.detail === null ? {} : { detail: row.detail }),
    ...(row.providerPaymentId === null ? {} : { providerPaymentId: row.providerPaymentId }),
  }));
}

/**
 * Claims up to `batchSize` payments still pending `afterSeconds` after they were last looked at, and
 * moves their next look `afterSeconds` ahead in the same statement. SKIP LOCKED lets several instances
 * run it at once, each taking other rows, and steps over a payment a webhook is settling.
 */
export async function claimUnsettledPayments(
  afterSeconds: number,
  batchSize: number,
): Promise<StoredPayment[]> {
  const rows = await sequelize().query<{ id: string }>(
    `UPDATE payments SET reconcile_at = now() + make_interval(secs => $afterSeconds)
     WHERE id IN (
       SELECT id FROM payments
       WHERE status IN ('pending', 'in_process') AND reconcile_at <= now()
       ORDER BY reconcile_at
       LIMIT $batchSize
       FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    { bind: { afterSeconds, batchSize }, type: QueryTypes.SELECT },
  );
  if (rows.length === 0) return [];
  const claimed = await Payment.findAll({ where: { id: rows.map((row) => row.id) } });
  return claimed.map(toStoredPayment);
}
