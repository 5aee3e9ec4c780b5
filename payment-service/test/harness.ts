import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  type CheckoutRequest,
  type InvalidParam,
  type PaymentView,
  type ProblemDetails,
} from '@escalable/shop-sdk';
import { PaymentServiceClient, serviceTokenSigner } from '@escalable/shop-sdk/internal';
import { createLogger, createMetrics, type Logger } from '@escalable/shop-sdk/server';
import { call, eventually, serviceUnderTest, type Answer } from '@escalable/shop-sdk/testing';
import { startMercadoPagoSandbox } from '@escalable/sandboxes';
import { buildApp, buildDependencies, LOG_REDACTIONS } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';
import { startWorkers } from '../src/workers.js';
import { startOrderServiceDouble } from './order-service-double.js';

export { call, eventually, type Answer };

/** A problem+json answer as a client reads it; `invalidParams` comes with validation problems. */
export type ProblemBody = ProblemDetails & { invalidParams: InvalidParam[] };

export const ACCESS_TOKEN = `TEST-${randomBytes(16).toString('hex')}`;
export const WEBHOOK_SECRET = randomBytes(32).toString('hex');
const silent = createLogger('payment-service', 'silent', { redact: LOG_REDACTIONS });

const started = serviceUnderTest({
  name: 'payment',
  openDatabase: (url) => openDatabase(url, 20, silent),
  start: async ({ db, env, serviceSecret, standIn, gatewayStandIn, listenInstance }) => {
    const mercadopago = await standIn(
      startMercadoPagoSandbox({
        accessToken: ACCESS_TOKEN,
        webhookSecret: WEBHOOK_SECRET,
        notifyRetryDelaysMs: [50, 100, 200],
      }),
    );
    const orders = await standIn(startOrderServiceDouble(serviceSecret));
    const gateway = await gatewayStandIn();
    const config = readConfig({
      ...env,
      MERCADOPAGO_ACCESS_TOKEN: ACCESS_TOKEN,
      MERCADOPAGO_WEBHOOK_SECRET: WEBHOOK_SECRET,
      MERCADOPAGO_API_BASE_URL: mercadopago.url,
      MERCADOPAGO_MAX_RETRIES: '1',
      MERCADOPAGO_TIMEOUT_MS: '2000',
      PUBLIC_BASE_URL: gateway.url,
      ORDER_SERVICE_URL: orders.url,
      WEBHOOK_INTERVAL_MS: '50',
      RECONCILE_AFTER_SECONDS: '1',
      RECONCILE_INTERVAL_MS: '200',
      OUTBOX_INTERVAL_MS: '50',
    });
    /** An instance with its own MercadoPago client, workers and logger, as a process has. */
    const instance = (logger: Logger = silent) => {
      const deps = buildDependencies(config, logger);
      const metrics = createMetrics('payment-service');
      const workers = startWorkers({ config, db, deps, logger, metrics });
      return { app: buildApp({ config, db, logger, deps, metrics }), stop: () => workers.stop() };
    };
    /** Another instance on the same database, as behind the gateway; closed by the caller. */
    const startInstance = (logger?: Logger) => listenInstance(instance(logger));
    return { ...instance(), mercadopago, orders, gateway, startInstance };
  },
});

export const { serviceSecret: SERVICE_SECRET, signingKey } = started;

/**
 * payment-service under test, on a real PostgreSQL and real HTTP, with the MercadoPago sandbox behind
 * the unmodified mercadopago package, an order-service double taking payment results, and a gateway
 * stand-in that MercadoPago's notifications reach it through.
 */
export async function paymentService() {
  const service = await started();
  return {
    ...service,
    internal: new PaymentServiceClient({
      baseUrl: service.url,
      caller: 'order-service',
      secret: SERVICE_SECRET,
    }),
  };
}

const serviceToken = serviceTokenSigner('order-service', SERVICE_SECRET);

/** A valid checkout for a new order and customer: two lines adding up to 3 500.00 ARS, expiring in an hour. */
export function checkoutRequest(overrides: Partial<CheckoutRequest> = {}): CheckoutRequest {
  return {
    orderId: randomUUID(),
    customerId: randomUUID(),
    amount: { amount: 350_000, currency: 'ARS' },
    items: [
      { title: 'Remera Escalable', quantity: 2, unitPrice: { amount: 100_000, currency: 'ARS' } },
      { title: 'Gorra', quantity: 1, unitPrice: { amount: 150_000, currency: 'ARS' } },
    ],
    payer: { email: 'ana@example.com', name: 'Ana' },
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  };
}

/** POST /internal/payments as order-service sends it (null: without a key), answered as received. */
export async function requestCheckout<T = Record<string, unknown>>(
  request: CheckoutRequest | Record<string, unknown>,
  idempotencyKey: string | null = `checkout:${randomUUID()}`,
): Promise<Answer<T>> {
  const { url } = await paymentService();
  return call<T>(url, 'POST', '/internal/payments', {
    headers: {
      authorization: `Bearer ${serviceToken()}`,
      ...(idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey }),
    },
    body: request,
  });
}

/** POST /internal/payments/orders/:orderId/refunds as order-service sends it, answered as received. */
export async function requestRefund<T = Record<string, unknown>>(
  orderId: string,
  request: Record<string, unknown>,
  idempotencyKey = `refund:${randomUUID()}`,
): Promise<Answer<T>> {
  const { url } = await paymentService();
  return call<T>(url, 'POST', `/internal/payments/orders/${orderId}/refunds`, {
    headers: { authorization: `Bearer ${serviceToken()}`, 'idempotency-key': idempotencyKey },
    body: request,
  });
}

export const customerToken = (id: string) => signingKey.tokenFor({ id, roles: ['customer'] });
export const adminToken = () => signingKey.tokenFor({ id: randomUUID(), roles: ['admin'] });

/** The order's payment as order-service reads it. */
export async function paymentOf(orderId: string): Promise<PaymentView> {
  return (await paymentService()).internal.getPayment(orderId);
}

/** A new order's checkout, opened through the service. */
export async function openCheckout(overrides: Partial<CheckoutRequest> = {}) {
  const request = checkoutRequest(overrides);
  const checkout = await (
    await paymentService()
  ).internal.createCheckout(request, `checkout:${randomUUID()}`);
  return { request, checkout };
}

/** Waits until the order's payment reaches `status`. */
export function paymentReaching(orderId: string, status: PaymentView['status'], timeoutMs?: number) {
  return eventually(
    async () => {
      const payment = await paymentOf(orderId);
      return payment.status === status ? payment : undefined;
    },
    `the payment of ${orderId} to be ${status}`,
    timeoutMs,
  );
}

/** Lets the workers run a few more rounds, so a change that should not happen would have by now. */
export const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A notification about `dataId` as MercadoPago would send it, signed with `secret` at `ts` (seconds):
 * for the cases the sandbox never produces (a stale, forged or unsigned one).
 */
export function notification(
  dataId: string,
  options: { ts?: number; secret?: string; requestId?: string } = {},
) {
  const ts = options.ts ?? Math.floor(Date.now() / 1000);
  const requestId = options.requestId ?? randomUUID();
  const v1 = createHmac('sha256', options.secret ?? WEBHOOK_SECRET)
    .update(`id:${dataId};request-id:${requestId};ts:${ts};`)
    .digest('hex');
  return {
    path: `/api/payments/webhooks/mercadopago?data.id=${dataId}&type=payment`,
    headers: { 'x-request-id': requestId, 'x-signature': `ts=${ts},v1=${v1}` },
    body: {
      action: 'payment.updated',
      api_version: 'v1',
      data: { id: dataId },
      date_created: new Date().toISOString(),
      id: Date.now(),
      live_mode: false,
      type: 'payment',
      user_id: '1000000001',
    },
  };
}
