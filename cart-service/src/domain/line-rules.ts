import {
  CART_LINE_LIMIT,
  CART_QUANTITY_LIMIT,
  type Problem,
  type VariantAvailability,
} from '@escalable/shop-sdk';
import type { StoredLine } from '../db/carts.js';
import { cartProblems } from './cart-problems.js';
import type { CatalogPrices } from './catalog.js';

/** Why a cart cannot hold a quantity of a variant, and how many more units it can still take. */
export interface LineRefusal {
  reason: 'currency-mismatch' | 'line-limit' | 'quantity-limit' | 'insufficient-stock';
  room: number;
}

/**
 * The rules of one line, shared by adding, changing and merging: one currency per cart, at most
 * CART_LINE_LIMIT lines and CART_QUANTITY_LIMIT units a line, and no more units than can be sold.
 * When both limits bind, the tighter one is named, since that is what the shopper can act on.
 */
export function lineRefusal(
  lines: StoredLine[],
  variant: VariantAvailability,
  quantity: number,
): LineRefusal | undefined {
  const held = lines.find((line) => line.variantId === variant.variantId)?.quantity ?? 0;
  const cartCurrency = lines[0]?.price.currency;
  if (cartCurrency !== undefined && cartCurrency !== variant.price.currency)
    return { reason: 'currency-mismatch', room: 0 };
  if (held === 0 && lines.length >= CART_LINE_LIMIT) return { reason: 'line-limit', room: 0 };
  const ceiling = Math.min(CART_QUANTITY_LIMIT, variant.available);
  if (quantity <= ceiling) return undefined;
  return {
    reason: variant.available < CART_QUANTITY_LIMIT ? 'insufficient-stock' : 'quantity-limit',
    room: Math.max(0, ceiling - held),
  };
}

/** Refuses a line the cart cannot hold, with the problem that names the rule. */
export function assertLineFits(lines: StoredLine[], variant: VariantAvailability, quantity: number): void {
  const refusal = lineRefusal(lines, variant, quantity);
  if (refusal) throw problemFor(refusal, lines, variant, quantity);
}

function problemFor(
  refusal: LineRefusal,
  lines: StoredLine[],
  variant: VariantAvailability,
  quantity: number,
): Problem {
  const { variantId } = variant;
  switch (refusal.reason) {
    case 'currency-mismatch':
      return cartProblems.currencyMismatch(variantId, lines[0]!.price.currency, variant.price);
    case 'line-limit':
      return cartProblems.lineLimit(CART_LINE_LIMIT);
    case 'quantity-limit':
      return cartProblems.quantityLimit(
        variantId,
        CART_QUANTITY_LIMIT,
        lines.find((line) => line.variantId === variantId)?.quantity ?? 0,
      );
    case 'insufficient-stock':
      return cartProblems.insufficientStock(variantId, quantity, variant.available);
  }
}

/** The variant as the catalog has it, when it can be put in a cart: 404 when gone, 409 when not on sale. */
export function saleableVariant(prices: CatalogPrices, variantId: string): VariantAvailability {
  const variant = prices.get(variantId);
  if (!variant) throw cartProblems.variantNotFound(variantId);
  if (variant.status !== 'active') throw cartProblems.notForSale(variantId, variant.status);
  return variant;
}
