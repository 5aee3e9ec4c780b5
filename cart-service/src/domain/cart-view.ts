import type { Cart, CheckoutCart } from '@escalable/shop-sdk';
import { cartById, cartLines, customerCart, noteGuestVisit, type StoredCart } from '../db/carts.js';
import { isCatalogDown, lookupPrices, type CartDependencies } from './catalog.js';
import { findOwnCart, type CartOwner } from './cart-owner.js';
import { priceCart } from './pricing.js';

/** The owner's cart priced now; while product-service is down, its stored lines marked unpriced. */
export async function readCart(owner: CartOwner, deps: CartDependencies): Promise<Cart> {
  const cart = await findOwnCart(owner);
  // A guest's visit keeps the cart from expiring, as a change would.
  if (cart && cart.customerId === null) await noteGuestVisit(cart.id);
  return priceStoredCart(cart, deps, 'unpriced');
}

/** A cart as it stands after a change, read again so the answer shows what was committed. */
export async function showCartAfterChange(cartId: string, deps: CartDependencies): Promise<Cart> {
  return priceStoredCart(await cartById(cartId), deps, 'unpriced');
}

/**
 * For order-service's checkout: the customer's active cart priced now. Checkout cannot go on
 * without live prices, so product-service being down is a 503 here.
 */
export async function readCheckoutCart(customerId: string, deps: CartDependencies): Promise<CheckoutCart> {
  const cart = await customerCart(customerId);
  return { id: cart?.id ?? null, customerId, ...(await priceStoredCart(cart, deps, 'fail')) };
}

/** A stored cart priced in one catalog call; when the catalog is down, unpriced or a 503 as asked. */
async function priceStoredCart(
  cart: StoredCart | undefined,
  deps: CartDependencies,
  whenCatalogDown: 'unpriced' | 'fail',
): Promise<Cart> {
  const lines = cart ? await cartLines(cart.id) : [];
  const prices = await lookupPrices(
    deps.catalog,
    lines.map((line) => line.variantId),
  ).catch((error: unknown) => {
    if (whenCatalogDown === 'unpriced' && isCatalogDown(error)) return undefined;
    throw error;
  });
  return priceCart(lines, prices, cart?.updatedAt ?? null);
}
