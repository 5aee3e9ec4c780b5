import {
  loadConfig,
  positiveInt,
  serviceEnv,
  serviceUrls,
  tokenVerificationEnv,
} from '@escalable/shop-sdk/server';

const cartServiceEnv = {
  ...serviceEnv,
  ...tokenVerificationEnv,
  /** product-service's instances, comma-separated: every read and write prices lines there. */
  PRODUCT_SERVICE_URL: serviceUrls,
  /** One attempt's deadline; a cart read waits at most about three of them before it answers unpriced. */
  PRODUCT_SERVICE_TIMEOUT_MS: positiveInt.max(30_000).default(2_000),
  /** A guest cart untouched this long is deleted (converted and customer carts are kept). */
  CART_GUEST_TTL_DAYS: positiveInt.max(3_650).default(30),
  /** How often each instance deletes expired guest carts. */
  CART_EXPIRY_INTERVAL_MS: positiveInt.default(3_600_000),
};

export type Config = ReturnType<typeof readConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(cartServiceEnv, env);
}
