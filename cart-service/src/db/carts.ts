import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { CartMergeReport, CartStatus, Money } from '@escalable/shop-sdk';
import { Cart, CartLine } from './models.js';

/** A cart row as the domain reads it. */
export interface StoredCart {
  id: string;
  /** Null for a guest cart. */
  customerId: string | null;
  status: CartStatus;
  orderId: string | null;
  mergedIntoCustomer: string | null;
  mergeReport: CartMergeReport | null;
  updatedAt: Date;
}

/** A cart line as stored: the price is the one the shopper accepted. */
export interface StoredLine {
  variantId: string;
  quantity: number;
  price: Money;
}

const sequelize = () => Cart.sequelize!;

export function inTransaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
  return sequelize().transaction(work);
}

function toStoredCart(cart: Cart): StoredCart {
  return {
    id: cart.id,
    customerId: cart.customerId,
    status: cart.status,
    orderId: cart.orderId,
    mergedIntoCustomer: cart.mergedIntoCustomer,
    mergeReport: cart.mergeReport,
    updatedAt: cart.updatedAt,
  };
}

async function oneCart(
  where: Record<string, unknown>,
  transaction?: Transaction,
): Promise<StoredCart | undefined> {
  const cart = await Cart.findOne({
    where,
    transaction,
    // FOR UPDATE inside a transaction: the writes to one cart queue behind each other, so none is lost.
    lock: transaction ? transaction.LOCK.UPDATE : undefined,
  });
  return cart ? toStoredCart(cart) : undefined;
}

/** The customer's active cart, locked when a transaction is given. */
export function customerCart(customerId: string, transaction?: Transaction) {
  return oneCart({ customerId, status: 'active' }, transaction);
}

/** A guest cart by its token's hash, whatever its status, locked when a transaction is given. */
export function guestCart(tokenHash: string, transaction?: Transaction) {
  return oneCart({ tokenHash }, transaction);
}

/** Any cart by id, locked when a transaction is given. */
export function cartById(cartId: string, transaction?: Transaction) {
  return oneCart({ id: cartId }, transaction);
}

/** The customer's active cart, created when there is none, and locked. */
export async function openCustomerCart(customerId: string, transaction: Transaction): Promise<StoredCart> {
  for (;;) {
    // Two first writes at once: the second insert waits on the first and then does nothing, and both
    // go on to lock the one cart.
    await sequelize().query(
      `INSERT INTO carts (id, customer_id) VALUES (gen_random_uuid(), $customerId)
       ON CONFLICT (customer_id) WHERE status = 'active' DO NOTHING`,
      { bind: { customerId }, transaction },
    );
    const cart = await customerCart(customerId, transaction);
    // The cart found by the insert can be converted while this waits on its lock; the lock then finds
    // no active cart, and the next insert opens the new one.
    if (cart) return cart;
  }
}

export async function createGuestCart(tokenHash: string, transaction: Transaction): Promise<StoredCart> {
  const cart = await Cart.create({ id: randomUUID(), customerId: null, tokenHash }, { transaction });
  return toStoredCart(cart);
}

/** Oldest line first, so a cart shows its lines in the order they were added. */
export async function cartLines(cartId: string, transaction?: Transaction): Promise<StoredLine[]> {
  const lines = await CartLine.findAll({
    where: { cartId },
    order: [
      ['createdAt', 'ASC'],
      ['variantId', 'ASC'],
    ],
    transaction,
  });
  return lines.map((line) => ({
    variantId: line.variantId,
    quantity: line.quantity,
    price: { amount: line.unitPrice, currency: line.currency },
  }));
}

/**
 * Writes a line's quantity and accepted price, adding the line when the cart does not hold it. A new
 * line is stamped with the clock, not the transaction's start (now()): a merge adds several lines in
 * one transaction, and they must still show in the order it added them.
 */
export async function saveLine(cartId: string, line: StoredLine, transaction: Transaction): Promise<void> {
  await sequelize().query(
    `INSERT INTO cart_lines (cart_id, variant_id, quantity, unit_price, currency, created_at)
     VALUES ($cartId, $variantId, $quantity, $amount, $currency, clock_timestamp())
     ON CONFLICT (cart_id, variant_id) DO UPDATE
       SET quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
           currency = EXCLUDED.currency, updated_at = now()`,
    {
      bind: {
        cartId,
        variantId: line.variantId,
        quantity: line.quantity,
        amount: line.price.amount,
        currency: line.price.currency,
      },
      transaction,
    },
  );
}

/** Whether the cart held the line. */
export async function removeLine(cartId: string, variantId: string, transaction: Transaction) {
  return (await CartLine.destroy({ where: { cartId, variantId }, transaction })) > 0;
}

export async function removeAllLines(cartId: string, transaction: Transaction): Promise<void> {
  await CartLine.destroy({ where: { cartId }, transaction });
}

/** Records that the lines changed. */
export async function touchCart(cartId: string, transaction: Transaction): Promise<void> {
  await sequelize().query('UPDATE carts SET updated_at = now(), last_active_at = now() WHERE id = $cartId', {
    bind: { cartId },
    transaction,
  });
}

/** Records that a guest looked at the cart; at most once an hour, so reads seldom write. */
export async function noteGuestVisit(cartId: string): Promise<void> {
  await sequelize().query(
    `UPDATE carts SET last_active_at = now()
     WHERE id = $cartId AND last_active_at < now() - interval '1 hour'`,
    { bind: { cartId } },
  );
}

export async function markMerged(
  cartId: string,
  customerId: string,
  report: CartMergeReport,
  transaction: Transaction,
): Promise<void> {
  await Cart.update(
    { status: 'merged', mergedIntoCustomer: customerId, mergeReport: report, lastActiveAt: new Date() },
    { where: { id: cartId }, transaction },
  );
}

export async function markConverted(
  cartId: string,
  orderId: string,
  transaction: Transaction,
): Promise<StoredCart> {
  await Cart.update({ status: 'converted', orderId }, { where: { id: cartId }, transaction });
  return (await cartById(cartId, transaction))!;
}

/**
 * Deletes up to `batchSize` guest carts unused for `ttlDays` (their lines go with them). SKIP LOCKED
 * lets several instances run it at once, each taking other rows, and steps over a cart in use.
 */
export async function deleteInactiveGuestCarts(ttlDays: number, batchSize: number): Promise<number> {
  const deleted = await sequelize().query<{ id: string }>(
    `DELETE FROM carts WHERE id IN (
       SELECT id FROM carts
       WHERE customer_id IS NULL AND last_active_at < now() - make_interval(days => $ttlDays)
       ORDER BY last_active_at
       LIMIT $batchSize
       FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    { bind: { ttlDays, batchSize }, type: QueryTypes.SELECT },
  );
  return deleted.length;
}
