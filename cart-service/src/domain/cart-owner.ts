import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { createGuestCart, customerCart, guestCart, openCustomerCart, type StoredCart } from '../db/carts.js';
import { cartProblems } from './cart-problems.js';

/**
 * Whose cart a request means: the signed-in customer's, or the guest cart its token opens. Guest
 * tokens are 32 random bytes (base64url); only their SHA-256 is stored, and a merged cart's token
 * opens nothing, so a guest cart is never used again once it went into a customer's.
 */
export type CartOwner = { customerId: string } | { guestToken: string | undefined };

const GUEST_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** The stored key of a well-formed guest token; anything else opens no cart. */
export function guestTokenHash(token: string | undefined): string | undefined {
  return token !== undefined && GUEST_TOKEN.test(token) ? hashOf(token) : undefined;
}

/** The active guest cart a token opens, locked when a transaction is given; 404 otherwise. */
export async function activeGuestCart(token: string | undefined, transaction?: Transaction) {
  const hash = guestTokenHash(token);
  const cart = hash ? await guestCart(hash, transaction) : undefined;
  if (cart?.status !== 'active') throw cartProblems.cartNotFound();
  return cart;
}

/** The owner's cart to read: undefined for a customer who has none yet; 404 for a guest without one. */
export function findOwnCart(owner: CartOwner): Promise<StoredCart | undefined> {
  return 'customerId' in owner ? customerCart(owner.customerId) : activeGuestCart(owner.guestToken);
}

/** The owner's cart locked for a change, as {@link findOwnCart} finds it. */
export function lockOwnCart(owner: CartOwner, transaction: Transaction): Promise<StoredCart | undefined> {
  return 'customerId' in owner
    ? customerCart(owner.customerId, transaction)
    : activeGuestCart(owner.guestToken, transaction);
}

export interface OpenedCart {
  cart: StoredCart;
  /** Set when this opened a new guest cart: the token, shown to the guest once. */
  issuedToken?: string;
}

/**
 * The owner's cart locked for an addition, opened when there is none: a customer's on first use, a
 * guest's when no token came. A token that opens nothing is a 404, not a new cart: the guest would
 * otherwise lose track of the one they had.
 */
export async function openOwnCart(owner: CartOwner, transaction: Transaction): Promise<OpenedCart> {
  if ('customerId' in owner) return { cart: await openCustomerCart(owner.customerId, transaction) };
  if (owner.guestToken !== undefined) return { cart: await activeGuestCart(owner.guestToken, transaction) };
  const token = randomBytes(32).toString('base64url');
  return { cart: await createGuestCart(hashOf(token), transaction), issuedToken: token };
}
