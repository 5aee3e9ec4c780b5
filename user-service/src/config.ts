import { z } from 'zod';
import { loadConfig, outboxEnv, positiveInt, serviceEnv, serviceUrls } from '@escalable/shop-sdk/server';

/** Other services honour an access token until it expires, whatever happened to its user meanwhile. */
export const LONGEST_ACCESS_TOKEN_TTL_SECONDS = 300;

const userServiceEnv = {
  ...serviceEnv,
  /** PKCS#8 PEM of the RS256 key that signs access tokens. */
  JWT_PRIVATE_KEY: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
  /** PEM public keys of retired signing keys, still published in the JWKS while their tokens live. */
  JWT_RETIRED_PUBLIC_KEYS: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt
    .max(LONGEST_ACCESS_TOKEN_TTL_SECONDS, `must be at most ${LONGEST_ACCESS_TOKEN_TTL_SECONDS}`)
    .default(LONGEST_ACCESS_TOKEN_TTL_SECONDS),
  REFRESH_TOKEN_TTL_DAYS: positiveInt.default(30),
  /** The first admin, created at start when no account has this e-mail yet. */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Failed logins allowed per account-and-address pair, and per address, within the window. */
  LOGIN_FAILURES_PER_ACCOUNT_AND_IP: positiveInt.default(5),
  LOGIN_FAILURES_PER_IP: positiveInt.default(50),
  LOGIN_FAILURE_WINDOW_SECONDS: positiveInt.default(900),
  /** Failed logins of one account within an hour, from any address, before attempts are spaced out. */
  LOGIN_FAILURES_PER_ACCOUNT: positiveInt.default(10),
  /** Sign-ups per address within an hour. */
  REGISTRATIONS_PER_IP: positiveInt.default(20),
  /** argon2 computations at once, and how many may wait, per instance. */
  PASSWORD_HASHING_CONCURRENCY: positiveInt.default(4),
  PASSWORD_HASHING_QUEUE: positiveInt.default(32),
  /**
   * notification-service's instances, comma-separated. Unset, welcome and password-changed messages
   * wait in the outbox until an instance starts with it.
   */
  NOTIFICATION_SERVICE_URL: serviceUrls.optional(),
  /** The outbox carries welcome and password notices. */
  ...outboxEnv,
};

export type Config = ReturnType<typeof readConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(userServiceEnv, env);
}
