import type { Cart, CartLine, CartLineIssue, Money, VariantAvailability } from '@escalable/shop-sdk';
import type { StoredLine } from '../db/carts.js';
import type { CatalogPrices } from './catalog.js';

/** Issues that take a line out of what can be bought, and so out of the subtotal. */
const NOT_FOR_SALE = new Set<CartLineIssue['type']>(['missing', 'archived']);

/**
 * The cart as the shopper sees it: each stored line next to the catalog's word on it now, with every
 * difference named as an issue. Without `prices` (the catalog is down) the lines are shown as stored.
 */
export function priceCart(
  lines: StoredLine[],
  prices: CatalogPrices | undefined,
  updatedAt: Date | null,
): Cart {
  const currency = lines[0]?.price.currency ?? null;
  const priced = lines.map((line) => (prices ? priceLine(line, prices.get(line.variantId)) : unpriced(line)));
  const onSale = priced.filter(
    (line) =>
      line.lineTotal?.currency === currency && !line.issues.some((issue) => NOT_FOR_SALE.has(issue.type)),
  );
  return {
    currency,
    lines: priced,
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    subtotal:
      prices && currency
        ? { amount: onSale.reduce((sum, line) => sum + line.lineTotal!.amount, 0), currency }
        : null,
    pricing: prices ? 'live' : 'unavailable',
    updatedAt: updatedAt?.toISOString() ?? null,
  };
}

function priceLine(line: StoredLine, variant: VariantAvailability | null | undefined): CartLine {
  if (!variant) return { ...unpriced(line), issues: [{ type: 'missing' }] };
  return {
    variantId: line.variantId,
    quantity: line.quantity,
    addedPrice: line.price,
    unitPrice: variant.price,
    lineTotal: { amount: variant.price.amount * line.quantity, currency: variant.price.currency },
    available: variant.available,
    product: {
      productId: variant.productId,
      name: variant.productName,
      slug: variant.productSlug,
      sku: variant.sku,
      options: variant.options,
      image: variant.image,
    },
    issues: issuesOf(line, variant),
  };
}

function unpriced(line: StoredLine): CartLine {
  return {
    variantId: line.variantId,
    quantity: line.quantity,
    addedPrice: line.price,
    unitPrice: null,
    lineTotal: null,
    available: null,
    product: null,
    issues: [],
  };
}

function issuesOf(line: StoredLine, variant: VariantAvailability): CartLineIssue[] {
  const issues: CartLineIssue[] = [];
  if (variant.status !== 'active') issues.push({ type: 'archived', status: variant.status });
  if (variant.available === 0) issues.push({ type: 'out-of-stock' });
  else if (line.quantity > variant.available)
    issues.push({ type: 'insufficient-stock', available: variant.available });
  if (!sameMoney(line.price, variant.price))
    issues.push({ type: 'price-changed', addedPrice: line.price, currentPrice: variant.price });
  return issues;
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}
