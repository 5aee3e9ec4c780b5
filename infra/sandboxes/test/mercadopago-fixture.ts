import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MercadoPagoConfig } from 'mercadopago';
import { AppConfig } from 'mercadopago/dist/utils/config/index.js';
import type { Options } from 'mercadopago/dist/types.js';

export interface ReceivedNotification {
  /** Path and query, as the receiver saw them. */
  path: string;
  query: URLSearchParams;
  requestId: string | undefined;
  signature: string | undefined;
  body: { action: string; data: { id: string }; type: string; [field: string]: unknown };
}

/** Stands in for payment-service's webhook route: keeps what arrives, answers `answers` in turn, then 200. */
export async function startNotificationReceiver(answers: number[] = []) {
  const received: ReceivedNotification[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://receiver');
    received.push({
      path: url.pathname,
      query: url.searchParams,
      requestId: req.headers['x-request-id'] as string | undefined,
      signature: req.headers['x-signature'] as string | undefined,
      body: JSON.parse(await text(req)),
    });
    res.statusCode = answers.shift() ?? 200;
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** Resolves once `count` notifications have arrived (or after 5 s with what there is). */
    async waitFor(count: number): Promise<ReceivedNotification[]> {
      const deadline = Date.now() + 5_000;
      while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function text(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

export const ACCESS_TOKEN = 'TEST-1234567890123456-120116-0123456789abcdef0123456789abcdef-1000000001';
export const WEBHOOK_SECRET = 'f3'.repeat(32);

/**
 * The official package pointed at the sandbox the way payment-service points it: AppConfig.BASE_URL.
 * A new config per call, because the package merges per-call options into the config object.
 */
export function mercadoPagoClient(sandboxUrl: string, accessToken = ACCESS_TOKEN, options: Options = {}) {
  // Declared readonly, but a plain static field that every call reads.
  (AppConfig as { BASE_URL: string }).BASE_URL = sandboxUrl;
  return new MercadoPagoConfig({ accessToken, options: { timeout: 5_000, ...options } });
}

/** A Checkout Pro preference body as payment-service sends it for an order. */
export function preferenceBody(receiverUrl: string, orderId = 'order-1') {
  return {
    items: [
      { id: 'sku-1', title: 'Yerba mate 1 kg', quantity: 2, unit_price: 4000.5, currency_id: 'ARS' },
      { id: 'sku-2', title: 'Bombilla', quantity: 1, unit_price: 1999, currency_id: 'ARS' },
    ],
    payer: { email: 'ana@example.com', name: 'Ana' },
    external_reference: orderId,
    notification_url: `${receiverUrl}/api/payments/webhooks/mercadopago?source_news=webhooks`,
    back_urls: {
      success: 'http://shop.test/orders/order-1?paid=1',
      failure: 'http://shop.test/orders/order-1/payment-failed',
      pending: 'http://shop.test/orders/order-1',
    },
    auto_return: 'approved',
    expires: true,
    expiration_date_to: new Date(Date.now() + 30 * 60_000).toISOString(),
  };
}

/** Resolves once `condition` holds, or after 5 s: the sandbox records an attempt only after the receiver has answered it. */
export async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
