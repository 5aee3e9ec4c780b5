import { randomUUID } from 'node:crypto';
import {
  type CartLine,
  type InvalidParam,
  type Order,
  type PaymentResultStatus,
  type ProblemDetails,
  type ShippingAddress,
} from '@escalable/shop-sdk';
import { serviceTokenSigner } from '@escalable/shop-sdk/internal';
import { createLogger, createMetrics } from '@escalable/shop-sdk/server';
import { call, serviceUnderTest, type Answer } from '@escalable/shop-sdk/testing';
import { buildApp, buildDependencies, LOG_REDACTIONS } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';
import { startWorkers } from '../src/workers.js';
import {
  startCartStandIn,
  startCatalogStandIn,
  startNotificationStandIn,
  startPaymentStandIn,
  startUserStandIn,
} from './stand-ins.js';

export { call, type Answer };
export { eventually } from '@escalable/shop-sdk/testing';

/** A problem+json answer as a client reads it; `invalidParams` comes with validation problems. */
export type ProblemBody = ProblemDetails & { invalidParams: InvalidParam[] };

const silent = createLogger('order-service', 'silent', { redact: LOG_REDACTIONS });

/**
 * order-service under test, on a real PostgreSQL and real HTTP, its workers running, with cart-,
 * product-, payment-, user- and notification-service stood in by small servers following their contracts.
 */
export const orderService = serviceUnderTest({
  name: 'order',
  openDatabase: (url) => openDatabase(url, 20, silent),
  start: async ({ db, env, serviceSecret, standIn, listenInstance }) => {
    const cart = await standIn(startCartStandIn(serviceSecret));
    const catalog = await standIn(startCatalogStandIn(serviceSecret));
    const payments = await standIn(startPaymentStandIn(serviceSecret));
    const notifications = await standIn(startNotificationStandIn(serviceSecret));
    const users = await standIn(startUserStandIn(serviceSecret));
    const config = readConfig({
      ...env,
      CART_SERVICE_URL: cart.url,
      PRODUCT_SERVICE_URL: catalog.url,
      PAYMENT_SERVICE_URL: payments.url,
      USER_SERVICE_URL: users.url,
      NOTIFICATION_SERVICE_URL: notifications.url,
      UPSTREAM_TIMEOUT_MS: '1000',
      ORDER_EXPIRY_INTERVAL_MS: '100',
      OUTBOX_INTERVAL_MS: '50',
      CHECKOUT_WAIT_MS: '5000',
    });
    /** An instance with its own clients and workers, as a process has. */
    const instance = () => {
      const deps = buildDependencies(config, silent);
      const metrics = createMetrics('order-service');
      const workers = startWorkers({ config, db, deps, logger: silent, metrics });
      return { app: buildApp({ config, db, logger: silent, deps, metrics }), stop: () => workers.stop() };
    };
    /** Another instance on the same database, as behind the gateway; closed by the caller. */
    const startInstance = () => listenInstance(instance());
    return { ...instance(), cart, catalog, payments, notifications, users, startInstance };
  },
});

export const { serviceSecret: SERVICE_SECRET, signingKey } = orderService;

export interface Customer {
  id: string;
  token: string;
}

export function newCustomer(): Customer {
  const id = randomUUID();
  return { id, token: signingKey.tokenFor({ id, roles: ['customer'] }) };
}

export const adminToken = () => signingKey.tokenFor({ id: randomUUID(), roles: ['admin'] });

export const address: ShippingAddress = {
  recipient: 'Ana Pérez',
  line1: 'Av. Corrientes 1234',
  city: 'Buenos Aires',
  postalCode: 'C1043',
  country: 'AR',
  isDefault: true,
};

export interface LineSpec {
  name?: string;
  quantity?: number;
  /** Minor units (ARS centavos). */
  price?: number;
  /** Units product-service can reserve; default 10. */
  stock?: number;
  issues?: CartLine['issues'];
}

/** Puts a priced cart for the customer in the cart stand-in, and its variants' stock in the catalog's. */
export async function givenCart(customer: Customer, lines: LineSpec[]): Promise<string[]> {
  const { cart, catalog } = await orderService();
  const variantIds = lines.map(() => randomUUID());
  const cartLines: CartLine[] = lines.map((line, index) => {
    const price = { amount: line.price ?? 100_000, currency: 'ARS' };
    const quantity = line.quantity ?? 1;
    catalog.stock.set(variantIds[index]!, line.stock ?? 10);
    return {
      variantId: variantIds[index]!,
      quantity,
      addedPrice: price,
      unitPrice: price,
      lineTotal: { amount: price.amount * quantity, currency: 'ARS' },
      available: line.stock ?? 10,
      product: {
        productId: randomUUID(),
        name: line.name ?? `Remera ${index + 1}`,
        slug: `remera-${index + 1}`,
        sku: `REM-${index + 1}`,
        options: { talle: 'M' },
        image: null,
      },
      issues: line.issues ?? [],
    };
  });
  cart.carts.set(customer.id, {
    id: randomUUID(),
    customerId: customer.id,
    currency: 'ARS',
    lines: cartLines,
    itemCount: cartLines.reduce((sum, line) => sum + line.quantity, 0),
    subtotal: { amount: cartLines.reduce((sum, line) => sum + line.lineTotal!.amount, 0), currency: 'ARS' },
    pricing: 'live',
    updatedAt: new Date().toISOString(),
  });
  return variantIds;
}

/** POST /api/orders as the customer; the key is new unless given. */
export async function checkOut<T = Order & { checkoutUrl: string }>(
  customer: Customer,
  options: { body?: unknown; key?: string | null; url?: string } = {},
): Promise<Answer<T>> {
  const service = await orderService();
  const key = options.key === undefined ? `checkout-${randomUUID()}` : options.key;
  return call<T>(options.url ?? service.url, 'POST', '/api/orders', {
    token: customer.token,
    headers: key === null ? {} : { 'idempotency-key': key },
    body: options.body ?? { shippingAddress: address },
  });
}

/** A customer with a cart of one line, checked out: the order pending payment. */
export async function placedOrder(lines: LineSpec[] = [{ quantity: 2 }]) {
  const customer = newCustomer();
  const variantIds = await givenCart(customer, lines);
  const answer = await checkOut(customer);
  if (answer.status !== 201) throw new Error(`not placed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { customer, variantIds, order: answer.body };
}

const serviceToken = serviceTokenSigner('payment-service', SERVICE_SECRET);

/** payment-service reporting a result for the order, as its outbox sends it. */
export async function reportPayment<T = Order>(orderId: string, status: PaymentResultStatus) {
  const service = await orderService();
  const paymentId = service.payments.checkouts.get(orderId)?.checkout.paymentId ?? randomUUID();
  const order = await call<Order>(service.url, 'GET', `/api/orders/${orderId}`, { token: adminToken() });
  // An unknown order has no total: any amount does, since the order is what is refused.
  const amount = order.status === 200 ? order.body.total : { amount: 100, currency: 'ARS' };
  return call<T>(service.url, 'POST', `/internal/orders/${orderId}/payment-result`, {
    headers: { authorization: `Bearer ${serviceToken()}`, 'idempotency-key': `${paymentId}:${status}` },
    body: {
      orderId,
      paymentId,
      status,
      amount,
      ...(status === 'refunded' ? { refunded: amount } : {}),
      providerPaymentId: '1234567890',
      occurredAt: new Date().toISOString(),
    },
  });
}

export async function orderAs<T = Order>(token: string, orderId: string): Promise<Answer<T>> {
  return call<T>((await orderService()).url, 'GET', `/api/orders/${orderId}`, { token });
}

/** Lets the workers run a few more rounds, so a change that should not happen would have by now. */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

/** The notification types the customer was sent, in order. */
export async function noticesTo(customerId: string): Promise<string[]> {
  const { notifications } = await orderService();
  return notifications.notifications
    .filter((each) => (each.request.recipient as { userId?: string }).userId === customerId)
    .map((each) => each.request.type);
}
