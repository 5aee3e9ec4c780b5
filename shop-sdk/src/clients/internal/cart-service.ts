import type { HttpClient } from '../../http/client.js';
import type { CheckoutCart, ConvertedCart } from '../../contracts/cart.js';
import { internalHttpClient, type InternalClientOptions } from './service-http.js';

/** cart-service's internal API, for order-service's checkout. */
export class CartServiceClient {
  readonly http: HttpClient;

  constructor(options: InternalClientOptions) {
    this.http = internalHttpClient('cart-service', options);
  }

  /**
   * The customer's active cart priced now, with each line's issues; an empty cart is answered with no
   * lines (and `id` null when the customer has none). A 503 Problem when product-service is down.
   */
  checkoutCart(customerId: string): Promise<CheckoutCart> {
    return this.http.get<CheckoutCart>(`/internal/carts/customers/${encodeURIComponent(customerId)}`);
  }

  /**
   * Marks the cart as turned into the order, so the customer's next write starts a new cart. Repeating
   * it for the same order answers the same, so it is sent as safe to retry; another order is a 409
   * Problem `cart-closed`.
   */
  convert(cartId: string, orderId: string): Promise<ConvertedCart> {
    return this.http.post<ConvertedCart>(
      `/internal/carts/${encodeURIComponent(cartId)}/convert`,
      { orderId },
      { idempotencyKey: `convert:${cartId}:${orderId}` },
    );
  }
}
