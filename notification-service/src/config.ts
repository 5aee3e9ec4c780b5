import { z } from 'zod';
import {
  ConfigError,
  loadConfig,
  positiveInt,
  serviceEnv,
  serviceUrls,
  tokenVerificationEnv,
} from '@escalable/shop-sdk/server';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

const notificationServiceEnv = {
  ...serviceEnv,
  ...tokenVerificationEnv,
  /** user-service's instances, comma-separated: a recipient given by user id is read there when sending. */
  USER_SERVICE_URL: serviceUrls,
  USER_SERVICE_TIMEOUT_MS: positiveInt.max(30_000).default(2_000),
  SMTP_HOST: z.string().min(1),
  SMTP_PORT: positiveInt.max(65_535).default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  SMTP_SECURE: flag.default(false),
  /** Only for a local development server without TLS: never upgrade with STARTTLS. */
  SMTP_IGNORE_TLS: flag.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** The From of every e-mail, e.g. `Escalable <no-reply@escalable.shop>`; its domain names the Message-IDs. */
  MAIL_FROM: z.string().regex(/@[\w.-]+>?$/, 'must be an address, e.g. Escalable <no-reply@escalable.shop>'),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-f]{32}$/, 'must be AC followed by 32 hex digits'),
  TWILIO_AUTH_TOKEN: z.string().min(1),
  /** The sender number, E.164; or TWILIO_MESSAGING_SERVICE_SID instead. */
  TWILIO_FROM: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be in E.164 form')
    .optional(),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-f]{32}$/, 'must be MG followed by 32 hex digits')
    .optional(),
  /** Twilio's API origin; set only to reach a sandbox. */
  TWILIO_API_BASE_URL: z.url().optional(),
  /** Where the gateway reaches this service from outside: Twilio's status callbacks are sent and signed for it. */
  PUBLIC_BASE_URL: z.url(),
  /** Attempts per delivery before it is failed; temporary failures are retried until then. */
  MAX_ATTEMPTS: positiveInt.max(50).default(8),
  /** The first retry's delay; later ones grow exponentially, with jitter, up to the maximum. */
  RETRY_BASE_DELAY_MS: positiveInt.default(2_000),
  RETRY_MAX_DELAY_MS: positiveInt.default(600_000),
  /** How often each instance looks for due deliveries. */
  DELIVERY_INTERVAL_MS: positiveInt.default(1_000),
  DELIVERY_BATCH_SIZE: positiveInt.max(500).default(20),
  /**
   * How long a claimed delivery stays with the instance that claimed it; after that another instance
   * takes it over (the first one crashed). Longer than any send can take.
   */
  DELIVERY_LEASE_MS: positiveInt.min(1_000).default(120_000),
};

export type Config = ReturnType<typeof readConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(notificationServiceEnv, env);
  if (!config.TWILIO_FROM && !config.TWILIO_MESSAGING_SERVICE_SID)
    throw new ConfigError('invalid configuration: TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required');
  return config;
}
