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
  return showCart(cart, deps);
}

/** A cart as it stands after a change, read again so the answer shows what was committed. */
export async function showCartAfterChange(cartId: string, deps: CartDependencies): Promise<Cart> {
  return showCart(await cartById(cartId), deps);
}

/** A stored cart priced in one catalog call, or unpriced when the catalog is down. */
async function showCart(cart: StoredCart | undefined, deps: CartDependencies): Promise<Cart> {
  const lines = cart ? await cartLines(cart.id) : [];
  const prices = await lookupPrices(
    deps.catalog,
    lines.map((line) => line.variantId),
  ).catch((error: unknown) => {
    if (isCatalogDown(error)) return undefined;
    throw error;
  });
  return priceCart(lines, prices, cart?.updatedAt ?? null);
}

/**
 * For order-service's checkout: the customer's active cart priced now. Checkout cannot go on
 * without live prices, so product-service being down is a 503 here.
 */
export async function readCheckoutCart(customerId: string, deps: CartDependencies): Promise<CheckoutCart> {
  const cart = await customerCart(customerId);
  const lines = cart ? await cartLines(cart.id) : [];
  const prices = await lookupPrices(
    deps.catalog,
    lines.map((line) => line.variantId),
  );
  return { id: cart?.id ?? null, customerId, ...priceCart(lines, prices, cart?.updatedAt ?? null) };
}
