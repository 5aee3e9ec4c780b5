import { loadConfig, positiveInt, serviceEnv, tokenVerificationEnv } from '@escalable/shop-sdk/server';

const productServiceEnv = {
  ...serviceEnv,
  ...tokenVerificationEnv,
  /** How long a reservation holds stock when the caller does not say. */
  RESERVATION_TTL_SECONDS: positiveInt.max(86_400).default(900),
  /** How often each instance releases expired reservations. */
  RESERVATION_SWEEP_INTERVAL_MS: positiveInt.default(30_000),
  /** How long shared caches may keep anonymous catalog reads (listings, products, categories). */
  CATALOG_CACHE_SECONDS: positiveInt.max(3_600).default(30),
};

export type Config = ReturnType<typeof readConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(productServiceEnv, env);
}
