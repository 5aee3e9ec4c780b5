import type { Money } from './common.js';
import type { ProductStatus, VariantOptions } from './products.js';

/** The most units of one variant a cart line holds. */
export const CART_QUANTITY_LIMIT = 99;
/** The most lines a cart holds. */
export const CART_LINE_LIMIT = 100;

/**
 * Why a line cannot be bought exactly as it stands. Lines are never dropped or repriced silently:
 * each change since the shopper added the line is named here.
 */
export type CartLineIssue =
  /** The variant no longer exists in the catalog. */
  | { type: 'missing' }
  /** The variant or its product is not on sale (archived, or back to draft). */
  | { type: 'archived'; status: ProductStatus }
  | { type: 'out-of-stock' }
  /** Fewer units can be sold than the line holds. */
  | { type: 'insufficient-stock'; available: number }
  /** The price differs from the one the shopper accepted; changing or re-adding the line accepts it. */
  | { type: 'price-changed'; addedPrice: Money; currentPrice: Money };

export type CartLineIssueType = CartLineIssue['type'];

/** What the catalog says about a line's variant, for showing it. */
export interface CartLineProduct {
  productId: string;
  name: string;
  slug: string;
  sku: string;
  options: VariantOptions;
  image: string | null;
}

export interface CartLine {
  variantId: string;
  quantity: number;
  /** The price the shopper accepted: when the line was added, added to again, or changed. */
  addedPrice: Money;
  /** The price now; null when the variant is missing or prices are unavailable. */
  unitPrice: Money | null;
  /** `unitPrice` times `quantity`; null when `unitPrice` is. */
  lineTotal: Money | null;
  /** Units that can be sold now; null when the variant is missing or prices are unavailable. */
  available: number | null;
  /** Null when the variant is missing or prices are unavailable. */
  product: CartLineProduct | null;
  /** Empty when the line can be bought as it stands (always empty while prices are unavailable). */
  issues: CartLineIssue[];
}

/**
 * `live`: priced by the catalog just now. `unavailable`: the catalog did not answer, so the cart shows
 * its stored lines with `addedPrice` only (current prices, totals and issues are null or empty).
 */
export type CartPricing = 'live' | 'unavailable';

/** The shopper's cart, as every public cart route answers it. */
export interface Cart {
  /** The currency of every line; null while the cart is empty. */
  currency: string | null;
  /** Oldest line first. */
  lines: CartLine[];
  /** Units across all lines. */
  itemCount: number;
  /**
   * What the lines on sale cost now (lines flagged `missing` or `archived` are left out); null while
   * the cart is empty or prices are unavailable.
   */
  subtotal: Money | null;
  pricing: CartPricing;
  /** When the lines last changed; null for a customer who has no cart yet. */
  updatedAt: string | null;
}

/** The answer to a guest's first write: the token is also in the `X-Cart-Token` response header. */
export interface GuestCart extends Cart {
  /** The only key to this cart: send it back in the `X-Cart-Token` request header. Never shown again. */
  cartToken: string;
}

export interface AddCartItem {
  variantId: string;
  /** 1 to 99; added to the line when the variant is already in the cart. */
  quantity: number;
}

export interface CartItemUpdate {
  /** 0 to 99; 0 removes the line. */
  quantity: number;
}

/** Why a guest line was not added in full to the customer's cart at sign-in. */
export type CartMergeCapReason =
  'insufficient-stock' | 'quantity-limit' | 'line-limit' | 'currency-mismatch' | 'archived' | 'missing';

export interface CartMergeCap {
  variantId: string;
  /** Units the guest line held. */
  requested: number;
  /** Units of those added to the customer's cart (0 when the line was skipped). */
  kept: number;
  reason: CartMergeCapReason;
}

export interface CartMergeReport {
  /** Guest lines that were not added in full; empty when every unit was added. */
  capped: CartMergeCap[];
}

/** The customer's cart after a guest cart merged into it; a repeat answers the same report. */
export interface MergedCart extends Cart {
  merge: CartMergeReport;
}

/** `merged`: a guest cart that went into a customer's; `converted`: a customer cart that became an order. */
export type CartStatus = 'active' | 'merged' | 'converted';

/** A customer's active cart priced for checkout (internal: order-service). */
export interface CheckoutCart extends Cart {
  /** Null when the customer has no cart; then there are no lines. */
  id: string | null;
  customerId: string;
}

export interface CartConversionRequest {
  orderId: string;
}

export interface ConvertedCart {
  cartId: string;
  customerId: string;
  status: 'converted';
  orderId: string;
  convertedAt: string;
}
