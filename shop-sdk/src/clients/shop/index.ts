import type { Dispatcher } from 'undici';
import { HttpClient } from '../../http/client.js';
import type { TokenPair } from '../../contracts/users.js';
import type { AuthApi } from './auth.js';
import { CartApi, CartMergingAuthApi } from './cart.js';
import { CategoriesApi } from './categories.js';
import { OrdersApi } from './orders.js';
import { PaymentsApi } from './payments.js';
import { ProductsApi } from './products.js';
import { UsersApi } from './users.js';

export interface ShopClientOptions {
  /** The gateway, e.g. http://localhost:8080. */
  baseUrl: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

/**
 * The public API of the shop, for apps and scripts. It keeps the tokens of the last sign-in, sign-up
 * or refresh and sends the access token on every call; it keeps a guest's cart token the same way, and
 * merges that cart into the customer's after a sign-in or sign-up.
 */
export class ShopClient {
  readonly http: HttpClient;
  readonly auth: AuthApi;
  readonly users: UsersApi;
  readonly products: ProductsApi;
  readonly categories: CategoriesApi;
  readonly cart: CartApi;
  readonly payments: PaymentsApi;
  readonly orders: OrdersApi;
  tokens: TokenPair | undefined;

  constructor(options: ShopClientOptions) {
    this.http = new HttpClient({
      name: 'shop-api',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      dispatcher: options.dispatcher,
      headers: (): Record<string, string> =>
        this.tokens ? { authorization: `Bearer ${this.tokens.accessToken}` } : {},
    });
    this.cart = new CartApi(this.http);
    this.auth = new CartMergingAuthApi(
      this.http,
      (tokens) => {
        this.tokens = tokens;
      },
      this.cart,
    );
    this.users = new UsersApi(this.http);
    this.products = new ProductsApi(this.http);
    this.categories = new CategoriesApi(this.http);
    this.payments = new PaymentsApi(this.http);
    this.orders = new OrdersApi(this.http);
  }
}
