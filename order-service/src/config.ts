import {
  loadConfig,
  outboxEnv,
  positiveInt,
  serviceEnv,
  serviceUrls,
  tokenVerificationEnv,
} from '@escalable/shop-sdk/server';

const orderServiceEnv = {
  ...serviceEnv,
  ...tokenVerificationEnv,
  /** Each service's instances, comma-separated: checkout calls the first four, the outbox all five. */
  CART_SERVICE_URL: serviceUrls,
  PRODUCT_SERVICE_URL: serviceUrls,
  PAYMENT_SERVICE_URL: serviceUrls,
  USER_SERVICE_URL: serviceUrls,
  NOTIFICATION_SERVICE_URL: serviceUrls,
  /** One attempt's deadline at another service during checkout. */
  UPSTREAM_TIMEOUT_MS: positiveInt.max(30_000).default(5_000),
  /** How long stock is held for an unpaid order (product-service allows a day at most); the payment preference expires with it. */
  ORDER_PAYMENT_TTL_SECONDS: positiveInt.max(86_400).default(1_800),
  /** Unpaid orders one customer may hold at once: each holds stock until paid or expired. */
  MAX_PENDING_ORDERS_PER_CUSTOMER: positiveInt.max(100).default(3),
  /** How often each instance cancels the unpaid orders whose time ran out. */
  ORDER_EXPIRY_INTERVAL_MS: positiveInt.default(60_000),
  /**
   * How long a checkout waits for another request with the same Idempotency-Key before a 409: below the
   * gateway's proxy_read_timeout (15 s), or the buyer meets the gateway's 504 instead of the 409.
   */
  CHECKOUT_WAIT_MS: positiveInt.max(60_000).default(10_000),
  /** The outbox carries stock releases, cart conversions, refunds and notifications. */
  ...outboxEnv,
};

export type Config = ReturnType<typeof readConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(orderServiceEnv, env);
}
