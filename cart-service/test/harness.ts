import { createHash, randomUUID } from 'node:crypto';
import { type InvalidParam, type ProblemDetails } from '@escalable/shop-sdk';
import { CartServiceClient } from '@escalable/shop-sdk/internal';
import { createLogger, type Logger } from '@escalable/shop-sdk/server';
import { call, serviceUnderTest, type Answer, type ListeningServer } from '@escalable/shop-sdk/testing';
import { buildApp, LOG_REDACTIONS } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';
import { startCatalogStandIn, type CatalogStandIn } from './catalog-stand-in.js';

export { call, type Answer };

/** A problem+json answer as a client reads it; `invalidParams` comes with validation problems. */
export type ProblemBody = ProblemDetails & { invalidParams: InvalidParam[] };

const silent = createLogger('cart-service', 'silent', { redact: LOG_REDACTIONS });

interface InstanceOptions {
  /** The catalog this instance prices from; the shared stand-in by default. */
  catalog?: CatalogStandIn;
  logger?: Logger;
}

const started = serviceUnderTest({
  name: 'cart',
  openDatabase: (url) => openDatabase(url, 20, silent),
  start: async ({ db, env, serviceSecret, standIn, listenInstance }) => {
    const catalog = await standIn(startCatalogStandIn(serviceSecret));
    const appFor = ({ catalog: prices = catalog, logger = silent }: InstanceOptions) =>
      buildApp({ config: readConfig({ ...env, PRODUCT_SERVICE_URL: prices.url }), db, logger });
    /** Another instance on the same database, as behind the gateway; closed by the caller. */
    const startInstance = (options: InstanceOptions): Promise<ListeningServer> =>
      listenInstance({ app: appFor(options) });
    return { app: appFor({}), catalog, startInstance };
  },
});

export const { serviceSecret: SERVICE_SECRET, signingKey } = started;

/** cart-service under test, on a real PostgreSQL and real HTTP, pricing from a product-service stand-in. */
export async function cartService() {
  const service = await started();
  const internal = new CartServiceClient({
    baseUrl: service.url,
    caller: 'order-service',
    secret: SERVICE_SECRET,
  });
  return { ...service, internal };
}

/** Another product-service stand-in and a cart-service instance pricing from it, allowed through the guard. */
export async function instanceWithOwnCatalog(options: Omit<InstanceOptions, 'catalog'> = {}) {
  const service = await cartService();
  const catalog = await startCatalogStandIn(SERVICE_SECRET);
  service.outbound.allow(catalog);
  const instance = await service.startInstance({ ...options, catalog });
  return {
    url: instance.url,
    catalog,
    async close() {
      await instance.close();
      await catalog.close();
    },
  };
}

/** Who is calling: a signed-in customer (`token`), or a guest holding a cart token (or not yet). */
export interface Shopper {
  id?: string;
  token?: string;
  cartToken?: string;
}

export function newCustomer(): Required<Pick<Shopper, 'id' | 'token'>> {
  const id = randomUUID();
  return { id, token: signingKey.tokenFor({ id, roles: ['customer'] }) };
}

/** A call to a cart route with the shopper's credentials. */
export function cartCall<T = Record<string, unknown>>(
  url: string,
  shopper: Shopper,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Answer<T>> {
  return call<T>(url, method, path, {
    token: shopper.token,
    headers: shopper.cartToken ? { 'x-cart-token': shopper.cartToken } : {},
    body,
  });
}

/** Adds to the shopper's cart, keeping the guest token of a first write; throws unless it worked. */
export async function givenInCart<T = Record<string, unknown>>(
  url: string,
  shopper: Shopper,
  variantId: string,
  quantity: number,
): Promise<Answer<T>> {
  const answer = await cartCall<T>(url, shopper, 'POST', '/api/cart/items', { variantId, quantity });
  if (answer.status !== 200 && answer.status !== 201)
    throw new Error(`not added: ${answer.status} ${JSON.stringify(answer.body)}`);
  const issued = answer.headers['x-cart-token'];
  if (typeof issued === 'string') shopper.cartToken = issued;
  return answer;
}

/** The stored id of a shopper's active cart: a guest's by its token's hash, a customer's by their id. */
export async function storedCartId(shopper: Shopper): Promise<string> {
  const { db } = await cartService();
  const [rows] = shopper.cartToken
    ? await db.sequelize.query('SELECT id FROM carts WHERE token_hash = $hash', {
        bind: { hash: createHash('sha256').update(shopper.cartToken).digest('hex') },
      })
    : await db.sequelize.query("SELECT id FROM carts WHERE customer_id = $id AND status = 'active'", {
        bind: { id: shopper.id },
      });
  const row = (rows as Array<{ id: string }>)[0];
  if (!row) throw new Error('the shopper has no stored cart');
  return row.id;
}
