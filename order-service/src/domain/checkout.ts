import { randomUUID } from 'node:crypto';
import {
  Problem,
  problems,
  type CartLineIssueType,
  type CheckoutCart,
  type PaymentCheckout,
  type PlacedOrder,
  type Reservation,
  type ShippingAddress,
  type StockShortfall,
} from '@escalable/shop-sdk';
import { type AccessClaims } from '@escalable/shop-sdk/internal';
import type { Transaction } from 'sequelize';
import { INTEGER_MAX } from '@escalable/shop-sdk/server';
import {
  countUnpaidOrdersLocked,
  findLiveOrderOfCart,
  inTransaction,
  insertOrder,
  insertStatusChange,
  isCartAlreadyOrdered,
  lockOrder,
  updateOrder,
} from '../db/orders.js';
import { answerOnce, type StoredAnswer } from './checkout-key.js';
import type { OrderDependencies } from './dependencies.js';
import { queueCartConversion, queueCustomerNotice, queueStockRelease } from './order-messages.js';
import { moveOrder } from './order-status.js';
import { orderView } from './order-view.js';
import { shippingAddressOf, type AddressChoice } from './shipping-address.js';

/** A customer placing an order: who they are, and the token user-service knows them by. */
export interface Buyer {
  claims: AccessClaims;
  accessToken: string;
}

/**
 * Turns the customer's cart into an order, once per Idempotency-Key: read the priced cart, hold the
 * stock, write the order, open the payment, then close the cart and tell the customer. A step that
 * fails undoes the ones before it.
 */
export function placeOrder(
  buyer: Buyer,
  idempotencyKey: string,
  request: AddressChoice,
  deps: OrderDependencies,
): Promise<StoredAnswer<PlacedOrder>> {
  return answerOnce(buyer.claims.sub, idempotencyKey, request, deps.checkoutWaitMs, async () => ({
    status: 201,
    body: await checkOut(buyer, request, deps),
  }));
}

async function checkOut(buyer: Buyer, request: AddressChoice, deps: OrderDependencies): Promise<PlacedOrder> {
  const shippingAddress = await shippingAddressOf(buyer.accessToken, request, deps);
  const cart = orderable(await deps.carts.checkoutCart(buyer.claims.sub));
  const orderId = randomUUID();
  // The customer stays locked from the count to the order's row, so parallel checkouts cannot pass the limit.
  const reservation = await inTransaction(async (transaction) => {
    await assertRoomForAnotherOrder(buyer.claims.sub, deps.maxPendingOrders, transaction);
    const reservation = await reserveStock(orderId, cart, deps);
    await recordOrder(orderId, buyer.claims.sub, cart, shippingAddress, reservation, deps, transaction);
    return reservation;
  });
  const checkout = await openPayment(orderId, buyer.claims, cart, reservation, deps);
  await confirmOrder(orderId, cart, checkout);
  return { ...(await orderView(orderId)), checkoutUrl: checkout.checkoutUrl };
}

const STOCK_ISSUES = new Set<CartLineIssueType>(['out-of-stock', 'insufficient-stock']);

type OrderableCart = CheckoutCart & { id: string; currency: string };

function orderable(cart: CheckoutCart): OrderableCart {
  if (cart.lines.length === 0 || cart.id === null || cart.currency === null)
    throw problems.conflict('cart-empty', 'The cart is empty: add something before checking out');
  if (cart.pricing !== 'live')
    throw problems.unavailable('product-service', 'The cart could not be priced now; try again shortly');
  // Stock is left to the reservation, which decides at this instant for every line at once; the
  // cart's figures may already be stale.
  const lines = cart.lines
    .map((line) => ({
      variantId: line.variantId,
      issues: line.issues.filter((issue) => !STOCK_ISSUES.has(issue.type)),
    }))
    .filter((line) => line.issues.length > 0);
  if (lines.length > 0)
    throw problems.conflict(
      'cart-has-issues',
      `${lines.length} cart line(s) cannot be bought as they stand; review the cart first`,
      { lines },
    );
  const total = totalOf(cart as OrderableCart);
  // orders.total and the payment amount are 32-bit integers of minor units.
  if (total > INTEGER_MAX)
    throw problems.conflict(
      'order-total-too-large',
      `The order total of ${total} minor units is above the ${INTEGER_MAX} one order can hold; split the cart`,
      { total: { amount: total, currency: cart.currency }, limit: INTEGER_MAX },
    );
  return cart as OrderableCart;
}

const linesOf = (cart: OrderableCart) =>
  cart.lines.map((line) => ({
    variantId: line.variantId,
    productId: line.product!.productId,
    productName: line.product!.name,
    sku: line.product!.sku,
    options: line.product!.options,
    quantity: line.quantity,
    unitPrice: line.unitPrice!.amount,
  }));

const totalOf = (cart: OrderableCart) =>
  cart.lines.reduce((sum, line) => sum + line.unitPrice!.amount * line.quantity, 0);

async function assertRoomForAnotherOrder(customerId: string, limit: number, transaction: Transaction) {
  if ((await countUnpaidOrdersLocked(customerId, transaction)) < limit) return;
  throw problems.conflict(
    'too-many-pending-orders',
    `You have ${limit} orders waiting for payment: pay or cancel one before placing another`,
    { limit },
  );
}

async function reserveStock(orderId: string, cart: OrderableCart, deps: OrderDependencies) {
  const items = cart.lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity }));
  try {
    return await deps.catalog.reserve(orderId, items, { ttlSeconds: deps.paymentTtlSeconds });
  } catch (error) {
    if (error instanceof Problem && error.slug === 'out-of-stock') throw outOfStock(cart, error);
    if (error instanceof Problem && error.status < 500) throw error;
    // The reservation may have been made before the answer was lost: give it back to be sure.
    await inTransaction((transaction) => queueStockRelease(orderId, transaction));
    throw problems.unavailable(
      'product-service',
      'Stock could not be reserved now; try again shortly',
      error,
    );
  }
}

function outOfStock(cart: OrderableCart, problem: Problem): Problem {
  const availability = (problem.extensions.availability ?? []) as StockShortfall[];
  const names = new Map(cart.lines.map((line) => [line.variantId, line.product!.name]));
  const lines = availability
    .filter((line) => line.available < line.requested)
    .map((line) => ({ ...line, productName: names.get(line.variantId) ?? null }));
  return problems.conflict(
    'out-of-stock',
    lines.map((line) => `${line.productName}: ${line.requested} wanted, ${line.available} left`).join('; '),
    { lines },
  );
}

async function recordOrder(
  orderId: string,
  customerId: string,
  cart: OrderableCart,
  shippingAddress: ShippingAddress,
  reservation: Reservation,
  deps: OrderDependencies,
  transaction: Transaction,
): Promise<void> {
  const lines = linesOf(cart);
  try {
    await insertOrder(
      {
        id: orderId,
        customerId,
        status: 'pending_payment',
        currency: cart.currency,
        total: totalOf(cart),
        itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
        shippingAddress,
        cartId: cart.id,
        expiresAt: new Date(reservation.expiresAt),
      },
      lines,
      transaction,
    );
    await insertStatusChange(
      { orderId, fromStatus: null, toStatus: 'pending_payment', actor: customerId, reason: null },
      transaction,
    );
  } catch (error) {
    // No order holds the stock now; the reservation's own expiry is the last resort if this fails too.
    await deps.catalog.release(orderId).catch((releaseError: unknown) => {
      deps.logger.error({ err: releaseError, orderId }, 'stock of an unwritten order not released');
    });
    if (isCartAlreadyOrdered(error)) throw await cartAlreadyOrdered(cart.id, customerId);
    throw error;
  }
}

async function cartAlreadyOrdered(cartId: string, customerId: string): Promise<Problem> {
  const orderId = await findLiveOrderOfCart(cartId, customerId);
  return problems.conflict(
    'cart-already-ordered',
    'This cart has already been checked out; pay or cancel that order before checking it out again',
    orderId === null ? {} : { orderId },
  );
}

async function openPayment(
  orderId: string,
  claims: AccessClaims,
  cart: OrderableCart,
  reservation: Reservation,
  deps: OrderDependencies,
): Promise<PaymentCheckout> {
  const currency = cart.currency;
  try {
    return await deps.payments.createCheckout(
      {
        orderId,
        customerId: claims.sub,
        amount: { amount: totalOf(cart), currency },
        items: linesOf(cart).map((line) => ({
          title: `${line.productName} (${line.sku})`,
          quantity: line.quantity,
          unitPrice: { amount: line.unitPrice, currency },
        })),
        payer: { email: claims.email },
        expiresAt: reservation.expiresAt,
      },
      `checkout:${orderId}`,
    );
  } catch (error) {
    const reason = 'The payment could not be opened';
    await inTransaction(async (transaction) => {
      const order = await lockOrder(orderId, transaction);
      await moveOrder(order!, 'failed', { actor: 'order-service', reason }, transaction);
    });
    if (error instanceof Problem && error.status < 500) throw error;
    throw problems.unavailable(
      'payment-service',
      `${reason} now; nothing was reserved or charged, try again shortly`,
      error,
    );
  }
}

async function confirmOrder(orderId: string, cart: OrderableCart, checkout: PaymentCheckout): Promise<void> {
  await inTransaction(async (transaction) => {
    await updateOrder(
      orderId,
      { paymentId: checkout.paymentId, checkoutUrl: checkout.checkoutUrl },
      transaction,
    );
    const order = { id: orderId, customerId: cart.customerId };
    await queueCustomerNotice(
      order,
      'order-placed',
      {
        total: { amount: totalOf(cart), currency: cart.currency },
        items: linesOf(cart).map((line) => ({ name: line.productName, quantity: line.quantity })),
      },
      transaction,
    );
    await queueCartConversion(cart.id, orderId, transaction);
  });
}
