import { randomBytes, randomUUID } from 'node:crypto';
import { createLogger, createMetrics } from '@escalable/shop-sdk/server';
import { call, countRows, serviceUnderTest } from '@escalable/shop-sdk/testing';
import { buildApp, LOG_REDACTIONS, startOutboxDelivery } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';
import { ensureAdmin } from '../src/domain/admin-bootstrap.js';
import { loadSigningKeys } from '../src/domain/signing-keys.js';
import { startNotificationStandIn } from './notification-stand-in.js';

export { call, countRows };

export const ADMIN = { email: 'admin@shop.test', password: 'admin-password-123' };
let logSink: ((line: string) => void) | undefined;
const logger = createLogger('user-service', 'silent', {
  redact: LOG_REDACTIONS,
  destination: { write: (line: string) => logSink?.(line) },
});

/** What the service and its database log, at trace level, while `work` runs. */
export async function logsDuring(work: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  logSink = (line) => lines.push(line);
  logger.level = 'trace';
  try {
    await work();
  } finally {
    logger.level = 'silent';
    logSink = undefined;
  }
  return lines.join('');
}

/**
 * The service under test: started once per run on a real PostgreSQL, listening on real HTTP, with its
 * outbox sending to notification-service stood in; any other outbound call fails the test.
 */
export const userService = serviceUnderTest({
  name: 'users',
  openDatabase: (url) => openDatabase(url, 10, logger),
  start: async ({ db, env, serviceSecret, signingKey, standIn, listenInstance }) => {
    await ensureAdmin(ADMIN.email, ADMIN.password, logger);
    const keys = loadSigningKeys(signingKey.privateKeyPem);
    const notificationService = await standIn(startNotificationStandIn(serviceSecret));
    const configFor = (changes: Record<string, string>) =>
      readConfig({
        ...env,
        JWT_PRIVATE_KEY: signingKey.privateKeyPem,
        NOTIFICATION_SERVICE_URL: notificationService.url,
        OUTBOX_INTERVAL_MS: '20',
        OUTBOX_RETRY_INITIAL_MS: '50',
        // Enough attempts to outlast the client's open circuit (10 s) while notification-service is down.
        OUTBOX_MAX_ATTEMPTS: '100',
        OUTBOX_RETRY_MAX_MS: '1000',
        ...changes,
      });
    const metrics = createMetrics('user-service');
    const outbox = startOutboxDelivery({ config: configFor({}), db, logger, metrics });
    /** Another instance on the same database, as behind the gateway; closed by the caller. */
    const startInstance = (changes: Record<string, string> = {}) =>
      listenInstance({ app: buildApp({ config: configFor(changes), db, keys, logger }) });
    return {
      app: buildApp({ config: configFor({}), db, keys, logger, metrics }),
      stop: async () => outbox?.stop(),
      keys,
      startInstance,
      notificationService,
    };
  },
});

export const { serviceSecret: SERVICE_SECRET } = userService;

/** A client address of its own, as the gateway forwards it, so one test's limits never touch another's. */
export function visitorAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c! || 1}`;
}

export function uniqueEmail(prefix = 'shopper'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

export interface Registered {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export async function registerShopper(
  base: string,
  overrides: Record<string, unknown> = {},
): Promise<Registered> {
  const email = uniqueEmail();
  const password = 'correct horse battery';
  const answer = await call<{
    user: { id: string; email: string };
    tokens: { accessToken: string; refreshToken: string };
  }>(base, 'POST', '/api/auth/register', {
    body: { email, password, name: 'Ana Shopper', ...overrides },
    headers: { 'x-forwarded-for': visitorAddress() },
  });
  if (answer.status !== 201)
    throw new Error(`register failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { id: answer.body.user.id, email: answer.body.user.email, password, ...answer.body.tokens };
}
