import { z } from 'zod';
import {
  loadConfig,
  outboxEnv,
  positiveInt,
  serviceEnv,
  serviceUrls,
  tokenVerificationEnv,
} from '@escalable/shop-sdk/server';

const paymentServiceEnv = {
  ...serviceEnv,
  ...tokenVerificationEnv,
  /** The seller's access token (APP_USR-…, or TEST-… for MercadoPago's test users). Never logged. */
  MERCADOPAGO_ACCESS_TOKEN: z.string().min(1),
  /** The secret MercadoPago signs webhooks with (Your integrations → Webhooks). Never logged. */
  MERCADOPAGO_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters'),
  /** MercadoPago's API origin; set only to reach a sandbox. */
  MERCADOPAGO_API_BASE_URL: z.url().optional(),
  /** One attempt's deadline at MercadoPago. */
  MERCADOPAGO_TIMEOUT_MS: positiveInt.max(60_000).default(5_000),
  /** Further attempts the mercadopago package makes on 429, 5xx and lost connections. */
  MERCADOPAGO_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Where the gateway reaches this service from outside: webhooks are sent to it. */
  PUBLIC_BASE_URL: z.url(),
  /**
   * The shop's page a buyer returns to from MercadoPago's checkout; `{orderId}` is replaced by the
   * order's id. Default: PUBLIC_BASE_URL + /orders/{orderId}.
   */
  CHECKOUT_RETURN_URL: z
    .string()
    .refine((value) => URL.canParse(value.replace('{orderId}', 'x')), 'must be a URL')
    .optional(),
  /**
   * order-service's instances, comma-separated: payment results are delivered there through the
   * outbox. Until it is set (a stack without order-service yet), results wait in the outbox.
   */
  ORDER_SERVICE_URL: serviceUrls.optional(),
  ORDER_SERVICE_TIMEOUT_MS: positiveInt.max(30_000).default(5_000),
  /** How far a webhook's signed timestamp may be from now; older (or replayed) ones are refused. */
  WEBHOOK_TOLERANCE_SECONDS: positiveInt.max(86_400).default(300),
  /** How often each instance reads the payments that received webhooks from MercadoPago. */
  WEBHOOK_INTERVAL_MS: positiveInt.default(500),
  /** A payment pending this long is read from MercadoPago, in case its webhook was lost. */
  RECONCILE_AFTER_SECONDS: positiveInt.default(600),
  /** How often each instance looks for such payments. */
  RECONCILE_INTERVAL_MS: positiveInt.default(60_000),
  /** The outbox carries payment results to order-service. */
  ...outboxEnv,
};

export type Config = ReturnType<typeof readConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(paymentServiceEnv, env);
}
