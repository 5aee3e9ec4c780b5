import type { AddCartItem, Cart } from '@escalable/shop-sdk';
import { cartLines, inTransaction, removeAllLines, removeLine, saveLine, touchCart } from '../db/carts.js';
import { lookupPrices, type CartDependencies } from './catalog.js';
import { cartProblems } from './cart-problems.js';
import { lockOwnCart, openOwnCart, type CartOwner } from './cart-owner.js';
import { showCartAfterChange } from './cart-view.js';
import { assertLineFits, saleableVariant } from './line-rules.js';

/**
 * The shopper's changes to their cart. Additions and new quantities ask product-service first (so a
 * write never holds a lock while waiting on the network, and a catalog that is down refuses it with
 * 503 before anything is written), then lock the cart row, decide on its current lines and write:
 * two tabs adding at once queue on the lock and neither addition is lost. Removals need no catalog.
 */

export interface CartChange {
  cart: Cart;
  /** Set when the change opened a new guest cart: its token, shown this once. */
  issuedToken?: string;
}

/** Adds units of a variant, to its line when the cart holds it (accepting today's price). */
export async function addCartItem(
  owner: CartOwner,
  item: AddCartItem,
  deps: CartDependencies,
): Promise<CartChange> {
  const variant = saleableVariant(await lookupPrices(deps.catalog, [item.variantId]), item.variantId);
  const { cart, issuedToken } = await inTransaction(async (transaction) => {
    const opened = await openOwnCart(owner, transaction);
    const lines = await cartLines(opened.cart.id, transaction);
    const held = lines.find((line) => line.variantId === item.variantId)?.quantity ?? 0;
    const quantity = held + item.quantity;
    assertLineFits(lines, variant, quantity);
    await saveLine(
      opened.cart.id,
      { variantId: item.variantId, quantity, price: variant.price },
      transaction,
    );
    await touchCart(opened.cart.id, transaction);
    return opened;
  });
  return { cart: await showCartAfterChange(cart.id, deps), issuedToken };
}

/** Sets a line's quantity (accepting today's price); 0 removes the line. */
export async function changeCartItemQuantity(
  owner: CartOwner,
  variantId: string,
  quantity: number,
  deps: CartDependencies,
): Promise<Cart> {
  if (quantity === 0) return removeCartItem(owner, variantId, deps);
  const variant = saleableVariant(await lookupPrices(deps.catalog, [variantId]), variantId);
  const cartId = await inTransaction(async (transaction) => {
    const cart = await lockOwnCart(owner, transaction);
    const lines = cart ? await cartLines(cart.id, transaction) : [];
    if (!cart || !lines.some((line) => line.variantId === variantId))
      throw cartProblems.lineNotFound(variantId);
    assertLineFits(lines, variant, quantity);
    await saveLine(cart.id, { variantId, quantity, price: variant.price }, transaction);
    await touchCart(cart.id, transaction);
    return cart.id;
  });
  return showCartAfterChange(cartId, deps);
}

export async function removeCartItem(
  owner: CartOwner,
  variantId: string,
  deps: CartDependencies,
): Promise<Cart> {
  const cartId = await inTransaction(async (transaction) => {
    const cart = await lockOwnCart(owner, transaction);
    if (!cart || !(await removeLine(cart.id, variantId, transaction)))
      throw cartProblems.lineNotFound(variantId);
    await touchCart(cart.id, transaction);
    return cart.id;
  });
  return showCartAfterChange(cartId, deps);
}

/** Removes every line; the cart (and a guest's token) stays. A customer without a cart has nothing to empty. */
export async function emptyCart(owner: CartOwner): Promise<void> {
  await inTransaction(async (transaction) => {
    const cart = await lockOwnCart(owner, transaction);
    if (!cart) return;
    await removeAllLines(cart.id, transaction);
    await touchCart(cart.id, transaction);
  });
}
