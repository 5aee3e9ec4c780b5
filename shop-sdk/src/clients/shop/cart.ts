import type { ApiTransport, CallOptions } from '../../http/api-transport.js';
import type { HttpMethod } from '../../http/api-transport.js';
import { Problem } from '../../problem.js';
import type { LoginRequest, RegisterRequest, Session } from '../../contracts/users.js';
import type { AddCartItem, Cart, GuestCart, MergedCart } from '../../contracts/cart.js';
import type { SessionKeeper } from '../../session/session.js';
import { AuthApi } from './auth.js';

const CART_TOKEN = 'x-cart-token';
const at = (id: string) => encodeURIComponent(id);

/**
 * /api/cart: the signed-in customer's cart, or a guest's. A guest's cart is known by the token the
 * service issues on the first write; this client keeps it in the session's storage, sends it on every
 * cart call, and merges the guest cart into the customer's once signed in (see {@link CartMergingAuthApi}).
 */
export class CartApi {
  /** The answer of the last merge, the one after a sign-in included: `merge.capped` says what was cut. */
  lastMerge: MergedCart | undefined;

  constructor(
    private readonly http: ApiTransport,
    private readonly session: SessionKeeper,
  ) {}

  /** The guest cart's token, from the guest's first write until the cart is merged or found gone. */
  get guestToken(): string | undefined {
    return this.session.guestCartToken;
  }

  set guestToken(token: string | undefined) {
    this.session.setGuestCartToken(token);
  }

  /** A 404 Problem `cart-not-found` for a guest who has not added anything yet. */
  get(call?: CallOptions): Promise<Cart> {
    return this.send<Cart>('GET', '/api/cart', undefined, call);
  }

  /** Adds to the line when the variant is already in the cart; a guest's first add opens the cart. */
  addItem(item: AddCartItem, call?: CallOptions): Promise<Cart | GuestCart> {
    return this.send<Cart | GuestCart>('POST', '/api/cart/items', item, call);
  }

  /** 0 removes the line; any other quantity also accepts the line's current price. */
  setQuantity(variantId: string, quantity: number, call?: CallOptions): Promise<Cart> {
    return this.send<Cart>('PATCH', `/api/cart/items/${at(variantId)}`, { quantity }, call);
  }

  removeItem(variantId: string, call?: CallOptions): Promise<Cart> {
    return this.send<Cart>('DELETE', `/api/cart/items/${at(variantId)}`, undefined, call);
  }

  async clear(call?: CallOptions): Promise<void> {
    await this.send('DELETE', '/api/cart', undefined, call);
  }

  /** Moves the held guest cart into the signed-in customer's, then forgets its token. */
  async merge(call?: CallOptions): Promise<MergedCart> {
    await this.session.ready();
    if (this.guestToken === undefined)
      throw new Error('No guest cart to merge: the client holds no cart token');
    const merged = await this.send<MergedCart>('POST', '/api/cart/merge', undefined, call);
    this.guestToken = undefined;
    this.lastMerge = merged;
    return merged;
  }

  /**
   * The merge after a sign-in, which must not fail the sign-in: when cart-service cannot answer, the
   * token is kept so that {@link merge} can be called again later.
   */
  async mergeAfterSignIn(): Promise<void> {
    await this.session.ready();
    if (this.guestToken === undefined) return;
    await this.merge().catch((error: unknown) => {
      if (!(error instanceof Problem)) throw error;
    });
  }

  private async send<T>(method: HttpMethod, path: string, body: unknown, call?: CallOptions): Promise<T> {
    await this.session.ready();
    const headers: Record<string, string> = this.guestToken ? { [CART_TOKEN]: this.guestToken } : {};
    try {
      const response = await this.http.request<T>({ method, path, body, headers, ...call });
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
    http: ApiTransport,
    session: SessionKeeper,
    private readonly cart: CartApi,
  ) {
    super(http, session);
  }

  override async register(input: RegisterRequest, call?: CallOptions): Promise<Session> {
    const session = await super.register(input, call);
    await this.cart.mergeAfterSignIn();
    return session;
  }

  override async login(input: LoginRequest, call?: CallOptions): Promise<Session> {
    const session = await super.login(input, call);
    await this.cart.mergeAfterSignIn();
    return session;
  }
}
