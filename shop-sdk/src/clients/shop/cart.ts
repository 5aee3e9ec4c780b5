import type { HttpClient, HttpMethod } from '../../http/client.js';
import { Problem } from '../../problem.js';
import type { LoginRequest, RegisterRequest, Session, TokenPair } from '../../contracts/users.js';
import type { AddCartItem, Cart, GuestCart, MergedCart } from '../../contracts/cart.js';
import { AuthApi } from './auth.js';

const CART_TOKEN = 'x-cart-token';
const at = (id: string) => encodeURIComponent(id);

/**
 * /api/cart: the signed-in customer's cart, or a guest's. A guest's cart is known by the token the
 * service issues on the first write; this client holds it, sends it on every cart call, and merges the
 * guest cart into the customer's once signed in (see {@link CartMergingAuthApi}).
 */
export class CartApi {
  /** The guest cart's token, from the guest's first write until the cart is merged or found gone. */
  guestToken: string | undefined;
  /** The answer of the last merge, the one after a sign-in included: `merge.capped` says what was cut. */
  lastMerge: MergedCart | undefined;

  constructor(private readonly http: HttpClient) {}

  /** A 404 Problem `cart-not-found` for a guest who has not added anything yet. */
  get(): Promise<Cart> {
    return this.send<Cart>('GET', '/api/cart');
  }

  /** Adds to the line when the variant is already in the cart; a guest's first add opens the cart. */
  addItem(item: AddCartItem): Promise<Cart | GuestCart> {
    return this.send<Cart | GuestCart>('POST', '/api/cart/items', item);
  }

  /** 0 removes the line; any other quantity also accepts the line's current price. */
  setQuantity(variantId: string, quantity: number): Promise<Cart> {
    return this.send<Cart>('PATCH', `/api/cart/items/${at(variantId)}`, { quantity });
  }

  removeItem(variantId: string): Promise<Cart> {
    return this.send<Cart>('DELETE', `/api/cart/items/${at(variantId)}`);
  }

  async clear(): Promise<void> {
    await this.send('DELETE', '/api/cart');
  }

  /** Moves the held guest cart into the signed-in customer's, then forgets its token. */
  async merge(): Promise<MergedCart> {
    if (this.guestToken === undefined)
      throw new Error('No guest cart to merge: the client holds no cart token');
    const merged = await this.send<MergedCart>('POST', '/api/cart/merge');
    this.guestToken = undefined;
    this.lastMerge = merged;
    return merged;
  }

  /**
   * The merge after a sign-in, which must not fail the sign-in: when cart-service cannot answer, the
   * token is kept so that {@link merge} can be called again later.
   */
  async mergeAfterSignIn(): Promise<void> {
    if (this.guestToken === undefined) return;
    await this.merge().catch((error: unknown) => {
      if (!(error instanceof Problem)) throw error;
    });
  }

  private async send<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = this.guestToken ? { [CART_TOKEN]: this.guestToken } : {};
    try {
      const response = await this.http.request<T>({ method, path, body, headers });
      const issued = response.headers[CART_TOKEN];
      if (issued) this.guestToken = issued;
      return response.body;
    } catch (error) {
      // The guest cart expired or was merged elsewhere: the token opens nothing any more, and the
      // next write starts a new cart.
      if (error instanceof Problem && error.slug === 'cart-not-found') this.guestToken = undefined;
      throw error;
    }
  }
}

/** Sign-in and sign-up that then merge the guest cart the client holds into the customer's. */
export class CartMergingAuthApi extends AuthApi {
  constructor(
    http: HttpClient,
    remember: (tokens: TokenPair | undefined) => void,
    private readonly cart: CartApi,
  ) {
    super(http, remember);
  }

  override async register(input: RegisterRequest): Promise<Session> {
    const session = await super.register(input);
    await this.cart.mergeAfterSignIn();
    return session;
  }

  override async login(input: LoginRequest): Promise<Session> {
    const session = await super.login(input);
    await this.cart.mergeAfterSignIn();
    return session;
  }
}
