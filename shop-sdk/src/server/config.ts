import { z } from 'zod';
import { positiveInt } from './schemas.js';

/** Thrown when the environment is wrong; its message is the one line the process prints before exiting. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce.number().int().min(0).max(65_535);

/** The settings every service reads, to spread into its own schema. */
export const serviceEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  DB_POOL_MAX: positiveInt.default(10),
  /** Shared by the services to sign and check `/internal/*` calls. */
  SERVICE_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** Which proxies' X-Forwarded-For to believe (Express `trust proxy`): the gateway's addresses. */
  TRUST_PROXY: z.string().default('loopback, linklocal, uniquelocal'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb')
    .default('1mb'),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
};

/** How a service with an outbox sends it; {@link outboxSettings} turns them into the dispatcher's options. */
export const outboxEnv = {
  /** How often each instance sends what the outbox holds, and how many messages at a time. */
  OUTBOX_INTERVAL_MS: positiveInt.default(1_000),
  OUTBOX_BATCH_SIZE: positiveInt.max(500).default(20),
  /** Attempts before a message is failed, and the first and longest wait between two (full jitter). */
  OUTBOX_MAX_ATTEMPTS: positiveInt.max(100).default(25),
  OUTBOX_RETRY_INITIAL_MS: positiveInt.default(1_000),
  OUTBOX_RETRY_MAX_MS: positiveInt.default(900_000),
  /** Days a delivered message is kept (its idempotency key with it) before it is deleted. */
  OUTBOX_RETENTION_DAYS: positiveInt.max(3_650).default(7),
};

type OutboxEnv = { [Name in keyof typeof outboxEnv]: z.output<(typeof outboxEnv)[Name]> };

/** The dispatcher's options from {@link outboxEnv}, to spread into `startOutboxDispatcher`'s. */
export function outboxSettings(config: OutboxEnv) {
  return {
    intervalMs: config.OUTBOX_INTERVAL_MS,
    batchSize: config.OUTBOX_BATCH_SIZE,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    backoff: { initialDelayMs: config.OUTBOX_RETRY_INITIAL_MS, maxDelayMs: config.OUTBOX_RETRY_MAX_MS },
    retentionMs: config.OUTBOX_RETENTION_DAYS * 24 * 3_600_000,
  };
}

/**
 * Where a service finds the public keys of access tokens: a PEM, or user-service's JWKS, given as one
 * URL or a comma-separated list of the same path on each user-service instance (failover).
 */
export const tokenVerificationEnv = {
  JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY').optional(),
  JWKS_URL: z
    .string()
    .refine(
      (value) => value.split(',').every((url) => URL.canParse(url.trim())),
      'must be URLs, comma-separated',
    )
    .optional(),
};

/**
 * Parses the environment once, at start. The error names every wrong variable and why, never its
 * value, since values may be secrets.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.output<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const reasons = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.code === 'invalid_type' && env[name] === undefined
        ? `${name} is required`
        : `${name} ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${reasons.join('; ')}`);
  }
  return result.data;
}
