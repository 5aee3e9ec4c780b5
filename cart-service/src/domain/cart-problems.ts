import { Problem, problems, type CartStatus, type Money, type ProductStatus } from '@escalable/shop-sdk';

/**
 * The problems a cart route answers beyond the kit's. A guest's cart that the token does not open is
 * `cart-not-found`, exactly like one that never existed, so a token cannot be probed.
 */
export const cartProblems = {
  cartNotFound: () =>
    new Problem({
      status: 404,
      type: 'cart-not-found',
      title: 'Not found',
      detail:
        'No cart answers to this request: a guest cart needs the X-Cart-Token its first write returned, and the first item added opens one',
    }),
  lineNotFound: (variantId: string) =>
    new Problem({
      status: 404,
      type: 'line-not-found',
      title: 'Not found',
      detail: `The cart holds no line for variant ${variantId}`,
      extensions: { variantId },
    }),
  variantNotFound: (variantId: string) =>
    new Problem({
      status: 404,
      type: 'variant-not-found',
      title: 'Not found',
      detail: `Variant ${variantId} does not exist`,
      extensions: { variantId },
    }),
  notForSale: (variantId: string, status: ProductStatus) =>
    problems.conflict('not-for-sale', `Variant ${variantId} is not on sale (${status})`, {
      variantId,
      variantStatus: status,
    }),
  currencyMismatch: (variantId: string, cartCurrency: string, variantPrice: Money) =>
    problems.conflict(
      'currency-mismatch',
      `The cart is in ${cartCurrency} and variant ${variantId} is sold in ${variantPrice.currency}: a cart holds one currency`,
      { variantId, cartCurrency, variantCurrency: variantPrice.currency },
    ),
  quantityLimit: (variantId: string, limit: number, inCart: number) =>
    problems.conflict(
      'quantity-limit',
      `A line holds at most ${limit} units; the cart already holds ${inCart} of variant ${variantId}`,
      { variantId, limit, inCart },
    ),
  lineLimit: (limit: number) =>
    problems.conflict('line-limit', `A cart holds at most ${limit} lines; remove one first`, { limit }),
  insufficientStock: (variantId: string, requested: number, available: number) =>
    problems.conflict(
      'insufficient-stock',
      `Only ${available} units of variant ${variantId} are available; the line would hold ${requested}`,
      { variantId, requested, available },
    ),
  cartClosed: (status: CartStatus, orderId: string | null) =>
    problems.conflict(
      'cart-closed',
      orderId ? `The cart was already converted into order ${orderId}` : `The cart is ${status}`,
      { cartStatus: status, ...(orderId ? { orderId } : {}) },
    ),
  guestCartChanging: () =>
    problems.conflict('cart-changed', 'The guest cart kept changing while it was merged; try again'),
};
