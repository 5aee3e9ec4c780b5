import { FetchTransport } from '../../http/fetch-transport.js';
import type { ApiTransport } from '../../http/api-transport.js';
import type { TokenPair } from '../../contracts/users.js';
import type { Problem } from '../../problem.js';
import { SessionKeeper } from '../../session/session.js';
import { memoryTokenStorage, type TokenStorage } from '../../session/token-storage.js';
import type { AuthApi } from './auth.js';
import { CartApi, CartMergingAuthApi } from './cart.js';
import { CategoriesApi } from './categories.js';
import { OrdersApi } from './orders.js';
import { PaymentsApi } from './payments.js';
import { ProductsApi } from './products.js';
import { SignedInTransport } from './signed-in-transport.js';
import { UsersApi } from './users.js';

export interface ShopClientOptions {
  /** The gateway, e.g. http://localhost:8080. */
  baseUrl: string;
  /** Default time allowed for one call (10 s); each call may pass its own. */
  timeoutMs?: number;
  /** Another fetch (a polyfill, an instrumented one); the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** Where the tokens and the guest cart token are kept: memory by default, `localStorageTokens()` in a browser. */
  tokenStorage?: TokenStorage;
  /** Called once when a refresh is refused and the client has forgotten the sign-in. */
  onSignedOut?: (reason: Problem) => void;
}

/**
 * The public API of the shop, for apps and scripts, over plain fetch. It keeps the tokens of the last
 * sign-in, sign-up or refresh in its token storage and sends the access token on every call; when the
 * access token has expired it refreshes once and repeats the call. It keeps a guest's cart token the
 * same way, and merges that cart into the customer's after a sign-in or sign-up.
 */
export class ShopClient {
  readonly http: ApiTransport;
  readonly auth: AuthApi;
  readonly users: UsersApi;
  readonly products: ProductsApi;
  readonly categories: CategoriesApi;
  readonly cart: CartApi;
  readonly payments: PaymentsApi;
  readonly orders: OrdersApi;
  private readonly session: SessionKeeper;

  constructor(options: ShopClientOptions) {
    this.session = new SessionKeeper(options.tokenStorage ?? memoryTokenStorage(), options.onSignedOut);
    const transport = new FetchTransport({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
    });
    this.http = new SignedInTransport(transport, this.session);
    this.cart = new CartApi(this.http, this.session);
    this.auth = new CartMergingAuthApi(this.http, this.session, this.cart);
    this.users = new UsersApi(this.http);
    this.products = new ProductsApi(this.http);
    this.categories = new CategoriesApi(this.http);
    this.payments = new PaymentsApi(this.http);
    this.orders = new OrdersApi(this.http);
  }

  /** The tokens held; setting them signs the client in with tokens obtained elsewhere. */
  get tokens(): TokenPair | undefined {
    return this.session.tokens;
  }

  set tokens(tokens: TokenPair | undefined) {
    this.session.setTokens(tokens);
  }

  /** Resolves once the session kept in the token storage has been read (calls wait for it anyway). */
  async restored(): Promise<TokenPair | undefined> {
    await this.session.ready();
    return this.session.tokens;
  }
}
