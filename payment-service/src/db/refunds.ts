import { QueryTypes, type Transaction } from 'sequelize';
import { Refund } from './models.js';

export interface StoredRefund {
  id: string;
  paymentId: string;
  requestHash: string;
  amount: number;
  status: 'requested' | 'done';
}

const toStoredRefund = (row: Refund): StoredRefund => ({
  id: row.id,
  paymentId: row.paymentId,
  requestHash: row.requestHash,
  amount: row.amount,
  status: row.status,
});

export async function refundByKey(
  paymentId: string,
  idempotencyKey: string,
  transaction: Transaction,
): Promise<StoredRefund | undefined> {
  const row = await Refund.findOne({ where: { paymentId, idempotencyKey }, transaction });
  return row ? toStoredRefund(row) : undefined;
}

export async function insertRefund(
  refund: StoredRefund & { idempotencyKey: string; reason: string },
  transaction: Transaction,
): Promise<void> {
  await Refund.create(refund, { transaction });
}

/** What the payment's refunds take, asked for or done: no new refund may go past the rest. */
export async function refundsTotal(paymentId: string, transaction: Transaction): Promise<number> {
  const [row] = await Refund.sequelize!.query<{ total: string }>(
    'SELECT coalesce(sum(amount), 0) AS total FROM refunds WHERE payment_id = $paymentId',
    { bind: { paymentId }, type: QueryTypes.SELECT, transaction },
  );
  return Number(row!.total);
}

/** What MercadoPago has refunded of the payment through this service. */
export async function doneRefundsTotal(paymentId: string, transaction: Transaction): Promise<number> {
  const [row] = await Refund.sequelize!.query<{ total: string }>(
    `SELECT coalesce(sum(amount), 0) AS total FROM refunds WHERE payment_id = $paymentId AND status = 'done'`,
    { bind: { paymentId }, type: QueryTypes.SELECT, transaction },
  );
  return Number(row!.total);
}

export async function markRefundDone(id: string, providerRefundId: string, transaction: Transaction) {
  await Refund.update({ status: 'done', providerRefundId }, { where: { id }, transaction });
}

/** A refund MercadoPago could not be asked for gives its amount back to what remains. */
export async function dropRequestedRefund(id: string): Promise<void> {
  await Refund.destroy({ where: { id, status: 'requested' } });
}
