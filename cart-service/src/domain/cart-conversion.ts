import { problems, type ConvertedCart } from '@escalable/shop-sdk';
import { cartById, inTransaction, markConverted, type StoredCart } from '../db/carts.js';
import { cartProblems } from './cart-problems.js';

/**
 * Closes a customer's cart once order-service has made it an order, so the customer's next write
 * starts a new cart. Converting again for the same order answers the same (order-service retries);
 * for another order it is refused, since one cart is one order.
 */
export async function convertCart(cartId: string, orderId: string): Promise<ConvertedCart> {
  const cart = await inTransaction(async (transaction) => {
    const found = await cartById(cartId, transaction);
    // Guest carts never become orders: only a customer can check out.
    if (!found || found.customerId === null) throw problems.notFound(`Cart ${cartId}`);
    if (found.status === 'converted' && found.orderId === orderId) return found;
    if (found.status !== 'active') throw cartProblems.cartClosed(found.status, found.orderId);
    return markConverted(cartId, orderId, transaction);
  });
  return conversionOf(cart);
}

function conversionOf(cart: StoredCart): ConvertedCart {
  return {
    cartId: cart.id,
    customerId: cart.customerId!,
    status: 'converted',
    orderId: cart.orderId!,
    convertedAt: cart.updatedAt.toISOString(),
  };
}
