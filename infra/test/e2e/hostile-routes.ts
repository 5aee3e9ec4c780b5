// The public routes the hostile-input suite attacks (hostile-input.test.ts), one table per service.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Token = 'none' | 'shopper' | 'admin';

/** The objects the `before` creates, as the table names them. */
export interface Fixtures {
  shopperId: string;
  shopperEmail: string;
  rootId: string;
  rootSlug: string;
  otherCategoryId: string;
  productId: string;
  variantId: string;
  sku: string;
  otherSku: string;
  archivedId: string;
  archivedSlug: string;
  /** A guest cart holding a unit of the product's other variant (never of `variantId`, which has no stock). */
  guestCartToken: string;
  /** The token of a guest cart already merged into the shopper's. */
  mergedCartToken: string;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `:name` segments are filled from `ids`. */
  path: string;
  token: Token;
  /** Sent in X-Cart-Token: the guest cart the route acts on, or the one a merge takes in. */
  cartToken?: (f: Fixtures) => string;
  ids?: (f: Fixtures) => Record<string, string>;
  /**
   * Valid in shape; where the route writes, one the domain refuses (a taken e-mail, SKU or slug, a unit
   * more than there is, a wrong current password), so an input that slipped past validation still
   * could not write. PATCH /api/users/me cannot be refused, and the roles route sets what is there.
   */
  body?: (f: Fixtures) => Json;
  /** Fields for which null is a value, not a wrong type. */
  nullable?: string[];
  /** The listing's parameters: the text search, one that names things, the sort, a min/max pair. */
  query?: { search?: string; list?: string; sort?: string; range?: [string, string] };
}

export const SHOPPER_PASSWORD = 'correct horse battery';
export const price = { amount: 1000, currency: 'ARS' };

/** A cart route as the signed-in shopper and as the guest holding a cart token. */
const asShopperAndGuest = (route: Omit<Route, 'token'>): Route[] => [
  { ...route, token: 'shopper' },
  { ...route, token: 'none', cartToken: (f) => f.guestCartToken },
];

/**
 * Every public route, by the service that serves it. A new service joins the suite with an entry
 * here (its routes, and any object they aim at added to Fixtures and created in the test's `before`);
 * the test fails while a service the stack runs has none.
 */
export const HOSTILE_ROUTES: Record<string, Route[]> = {
  'user-service': [
    {
      method: 'POST',
      path: '/api/auth/register',
      token: 'none',
      body: (f) => ({
        email: f.shopperEmail,
        password: SHOPPER_PASSWORD,
        name: 'Ana',
        phone: '+5491122334455',
        locale: 'es',
      }),
    },
    // The right password: nothing here reaches the password check, and a login that did would give its
    // attempt back, so the login limits (per IP and per account) are never spent.
    {
      method: 'POST',
      path: '/api/auth/login',
      token: 'none',
      body: (f) => ({ email: f.shopperEmail, password: SHOPPER_PASSWORD }),
    },
    {
      method: 'POST',
      path: '/api/auth/refresh',
      token: 'none',
      body: () => ({ refreshToken: 'no-such-refresh-token' }),
    },
    {
      method: 'POST',
      path: '/api/auth/logout',
      token: 'none',
      body: () => ({ refreshToken: 'no-such-refresh-token' }),
    },
    { method: 'GET', path: '/api/users/me', token: 'shopper' },
    {
      method: 'PATCH',
      path: '/api/users/me',
      token: 'shopper',
      nullable: ['phone'],
      body: () => ({
        name: 'Ana',
        phone: '+5491122334455',
        locale: 'es',
        shippingAddresses: [
          {
            label: 'Casa',
            recipient: 'Ana',
            line1: 'Av. Corrientes 1234',
            line2: 'Piso 3',
            city: 'CABA',
            region: 'CABA',
            postalCode: 'C1043',
            country: 'AR',
            phone: '+5491122334455',
            isDefault: true,
          },
        ],
      }),
    },
    {
      method: 'POST',
      path: '/api/users/me/password',
      token: 'shopper',
      body: () => ({ currentPassword: 'not the password', newPassword: 'another horse battery' }),
    },
    { method: 'GET', path: '/api/users', token: 'admin', query: { search: 'search', list: 'role' } },
    {
      method: 'PATCH',
      path: '/api/users/:id/roles',
      token: 'admin',
      ids: (f) => ({ id: f.shopperId }),
      body: () => ({ roles: ['customer'] }),
    },
  ],
  'product-service': [
    {
      method: 'GET',
      path: '/api/products',
      token: 'none',
      query: { search: 'q', list: 'category', sort: 'sort', range: ['minPrice', 'maxPrice'] },
    },
    {
      method: 'GET',
      path: '/api/products/:idOrSlug',
      token: 'none',
      ids: (f) => ({ idOrSlug: f.productId }),
    },
    {
      method: 'POST',
      path: '/api/products',
      token: 'admin',
      body: (f) => ({
        name: 'Hostile copy',
        slug: `${f.rootSlug}-copy`,
        description: 'A copy',
        images: ['https://cdn.example.test/copy.jpg'],
        attributes: { material: 'algodón', weightGrams: 180 },
        status: 'draft',
        categoryIds: [f.rootId],
        variants: [{ sku: f.sku, options: { size: 'M' }, price, stock: 1 }],
      }),
    },
    {
      method: 'PATCH',
      path: '/api/products/:id',
      token: 'admin',
      ids: (f) => ({ id: f.productId }),
      body: (f) => ({
        name: 'Hostile input',
        slug: f.archivedSlug,
        description: 'Target of the hostile-input cases',
        images: ['https://cdn.example.test/hostile.jpg'],
        attributes: { material: 'algodón', weightGrams: 180 },
        status: 'active',
        categoryIds: [f.rootId],
      }),
    },
    // Its body is a file (NDJSON or CSV), not JSON, so only the cases every route gets apply: broken
    // JSON, text/plain, a false gzip, and over 1 MB of JSON (the gateway passes 16 MB to this route, the
    // service still holds JSON to 1 MB). product-service's catalog-import tests attack the file's lines.
    { method: 'POST', path: '/api/products/import', token: 'admin' },
    // Archiving an archived product changes nothing a user sees; it lets the real id be sent.
    { method: 'POST', path: '/api/products/:id/archive', token: 'admin', ids: (f) => ({ id: f.archivedId }) },
    {
      method: 'POST',
      path: '/api/products/:id/variants',
      token: 'admin',
      ids: (f) => ({ id: f.productId }),
      body: (f) => ({ sku: f.otherSku, options: { size: 'L' }, price, stock: 1 }),
    },
    {
      method: 'PATCH',
      path: '/api/products/:id/variants/:variantId',
      token: 'admin',
      ids: (f) => ({ id: f.productId, variantId: f.variantId }),
      body: (f) => ({ sku: f.otherSku, options: { size: 'M' }, price, status: 'active' }),
    },
    {
      method: 'POST',
      path: '/api/products/:id/variants/:variantId/stock-adjustments',
      token: 'admin',
      ids: (f) => ({ id: f.productId, variantId: f.variantId }),
      body: () => ({ delta: -1, note: 'shrinkage' }), // the variant has none on hand: 409
    },
    {
      method: 'GET',
      path: '/api/products/:id/variants/:variantId/stock-movements',
      token: 'admin',
      ids: (f) => ({ id: f.productId, variantId: f.variantId }),
      query: {},
    },
    { method: 'GET', path: '/api/categories', token: 'none' },
    { method: 'GET', path: '/api/categories/:slug', token: 'none', ids: (f) => ({ slug: f.rootSlug }) },
    {
      method: 'POST',
      path: '/api/categories',
      token: 'admin',
      body: (f) => ({ name: 'Copy', slug: f.rootSlug, parentId: f.rootId }),
    },
    {
      method: 'PATCH',
      path: '/api/categories/:id',
      token: 'admin',
      ids: (f) => ({ id: f.otherCategoryId }),
      body: (f) => ({ name: 'Copy', slug: f.rootSlug, parentId: f.rootId }),
    },
    { method: 'DELETE', path: '/api/categories/:id', token: 'admin', ids: (f) => ({ id: f.rootId }) }, // holds products: 409
  ],
  // The carts hold the product's other variant; every route here aims at `variantId`, which has no stock
  // and is in no cart, so an add is 409 and a change or a removal 404.
  'cart-service': [
    ...asShopperAndGuest({ method: 'GET', path: '/api/cart' }),
    ...asShopperAndGuest({
      method: 'POST',
      path: '/api/cart/items',
      body: (f) => ({ variantId: f.variantId, quantity: 1 }),
    }),
    ...asShopperAndGuest({
      method: 'PATCH',
      path: '/api/cart/items/:variantId',
      ids: (f) => ({ variantId: f.variantId }),
      body: () => ({ quantity: 1 }),
    }),
    ...asShopperAndGuest({
      method: 'DELETE',
      path: '/api/cart/items/:variantId',
      ids: (f) => ({ variantId: f.variantId }),
    }),
    // Takes no body: only cases the body parser refuses reach it, and none may empty the cart.
    ...asShopperAndGuest({ method: 'DELETE', path: '/api/cart' }),
    // Merging a cart merged before answers the same and moves nothing.
    { method: 'POST', path: '/api/cart/merge', token: 'shopper', cartToken: (f) => f.mergedCartToken },
  ],
  'notification-service': [
    { method: 'GET', path: '/api/notifications', token: 'shopper', query: {} },
    {
      method: 'GET',
      path: '/api/notifications/deliveries',
      token: 'admin',
      query: { search: 'recipient', list: 'status' },
    },
    // No delivery is made for the suite: the real id is one that does not exist, so a retry is 404.
    {
      method: 'POST',
      path: '/api/notifications/deliveries/:id/retry',
      token: 'admin',
      ids: () => ({ id: '5f0c6a8e-3d2b-4c1a-9e7f-0a1b2c3d4e5f' }),
    },
    // Twilio posts forms and signs them; no body is listed, since any body at all is refused for its
    // missing signature (403) before its fields are read. The parser cases still apply.
    { method: 'POST', path: '/api/notifications/twilio/status', token: 'none' },
  ],
  'order-service': [
    // Sent without an Idempotency-Key: a body that passed validation would still be refused (400), so
    // no case can place an order.
    {
      method: 'POST',
      path: '/api/orders',
      token: 'shopper',
      body: () => ({
        shippingAddress: {
          recipient: 'Ana',
          line1: 'Av. Corrientes 1234',
          city: 'Buenos Aires',
          postalCode: 'C1043',
          country: 'AR',
          isDefault: false,
        },
      }),
    },
    { method: 'GET', path: '/api/orders', token: 'shopper', query: { list: 'status' } },
    {
      method: 'GET',
      path: '/api/orders',
      token: 'admin',
      query: { list: 'customerId', range: ['from', 'to'] },
    },
    // No order is placed for the suite: the real id is one that does not exist, so these are 404.
    {
      method: 'GET',
      path: '/api/orders/:id',
      token: 'shopper',
      ids: () => ({ id: '3a9d2c41-6f5e-4b7a-8c1d-2e3f4a5b6c7d' }),
    },
    // Its one field is optional, so no body is listed (an empty one is a valid cancellation).
    {
      method: 'POST',
      path: '/api/orders/:id/cancel',
      token: 'shopper',
      ids: () => ({ id: '3a9d2c41-6f5e-4b7a-8c1d-2e3f4a5b6c7d' }),
    },
    {
      method: 'PATCH',
      path: '/api/orders/:id/status',
      token: 'admin',
      ids: () => ({ id: '3a9d2c41-6f5e-4b7a-8c1d-2e3f4a5b6c7d' }),
      body: () => ({ status: 'processing' }),
    },
  ],
  'payment-service': [
    // No order is paid for the suite: the real id is one with no payment, so the read is 404.
    {
      method: 'GET',
      path: '/api/payments/orders/:orderId',
      token: 'shopper',
      ids: () => ({ orderId: '7c1e4f2a-8b3d-4e5f-9a6b-1c2d3e4f5a6b' }),
    },
    // MercadoPago signs its notifications; no body is listed, since any body at all is refused for its
    // missing signature (401) before it is read. The parser cases still apply.
    { method: 'POST', path: '/api/payments/webhooks/mercadopago', token: 'none' },
  ],
};
