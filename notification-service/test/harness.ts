import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Delivery,
  type NotificationRequest,
  type Page,
  type ProblemDetails,
  type InvalidParam,
} from '@escalable/shop-sdk';
import { NotificationServiceClient, serviceTokenSigner } from '@escalable/shop-sdk/internal';
import { createLogger, type Logger } from '@escalable/shop-sdk/server';
import {
  call,
  eventually,
  serviceUnderTest,
  type Answer,
  type ListeningServer,
} from '@escalable/shop-sdk/testing';
import { startSmtpSandbox, startTwilioSandbox } from '@escalable/sandboxes';
import { buildApp, buildDependencies } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';
import { startDeliveryWorker } from '../src/domain/delivery-worker.js';
import { startUserServiceStandIn } from './user-service-stand-in.js';

export { call, eventually, type Answer };

/** A problem+json answer as a client reads it; `invalidParams` comes with validation problems. */
export type ProblemBody = ProblemDetails & { invalidParams: InvalidParam[] };

export const TWILIO_ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
export const TWILIO_AUTH_TOKEN = randomBytes(16).toString('hex');
export const MAX_ATTEMPTS = 6;
const silent = createLogger('notification-service', (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent');

interface InstanceOptions {
  logger?: Logger;
  /** Settings that differ from the shared instance's. */
  env?: NodeJS.ProcessEnv;
}

const started = serviceUnderTest({
  name: 'notification',
  openDatabase: (url) => openDatabase(url, 20, silent),
  start: async ({ db, env: shared, serviceSecret, standIn, gatewayStandIn, listenInstance }) => {
    const smtp = await standIn(startSmtpSandbox());
    const twilio = await standIn(
      startTwilioSandbox({
        accountSid: TWILIO_ACCOUNT_SID,
        authToken: TWILIO_AUTH_TOKEN,
        callbackDelayMs: 20,
      }),
    );
    const users = await standIn(startUserServiceStandIn(serviceSecret));
    const gateway = await gatewayStandIn();

    const env: NodeJS.ProcessEnv = {
      ...shared,
      USER_SERVICE_URL: users.url,
      USER_SERVICE_TIMEOUT_MS: '1000',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.smtpPort),
      SMTP_IGNORE_TLS: 'true',
      MAIL_FROM: 'Escalable <no-reply@escalable.test>',
      TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: twilio.url,
      PUBLIC_BASE_URL: gateway.url,
      MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      RETRY_BASE_DELAY_MS: '100',
      RETRY_MAX_DELAY_MS: '400',
      DELIVERY_INTERVAL_MS: '50',
      DELIVERY_LEASE_MS: '10000',
    };
    /** An instance with its own providers' clients and its own delivery worker, as a process has. */
    const instance = ({ logger = silent, env: changes = {} }: InstanceOptions = {}) => {
      const config = readConfig({ ...env, ...changes });
      const deps = buildDependencies(config, logger);
      let worker = startDeliveryWorker(deps, { intervalMs: config.DELIVERY_INTERVAL_MS });
      return {
        app: buildApp({ config, db, logger, deps }),
        /** Stops delivering, as a process that went down would. */
        stopWorker: () => worker.stop(),
        /** Delivers again, as the process started anew would. */
        restartWorker() {
          worker = startDeliveryWorker(deps, { intervalMs: config.DELIVERY_INTERVAL_MS });
        },
        async stop() {
          await worker.stop();
          deps.email.close();
        },
      };
    };
    const { stopWorker, restartWorker, ...main } = instance();
    /** Another instance on the same database, as behind the gateway; closed by the caller. */
    const startInstance = (options: InstanceOptions = {}) => listenInstance(instance(options));
    const worker = { stop: stopWorker, restart: restartWorker };
    return { ...main, smtp, twilio, users, gateway, startInstance, worker };
  },
});

export const { serviceSecret: SERVICE_SECRET, signingKey } = started;

/**
 * notification-service under test, on a real PostgreSQL and real HTTP, delivering through the SMTP
 * and Twilio sandboxes with the official nodemailer and twilio packages, reading contacts from a
 * user-service stand-in, behind a gateway stand-in that Twilio's callbacks reach it through.
 */
export async function notificationService() {
  const service = await started();
  return {
    ...service,
    internal: new NotificationServiceClient({
      baseUrl: service.url,
      caller: 'user-service',
      secret: SERVICE_SECRET,
    }),
  };
}

const serviceToken = serviceTokenSigner('user-service', SERVICE_SECRET);

/** POST /internal/notifications as user-service would send it (null: without a key), answer as received. */
export async function requestNotification<T = Record<string, unknown>>(
  request: NotificationRequest | Record<string, unknown>,
  idempotencyKey: string | null = randomUUID(),
  url?: string,
): Promise<Answer<T>> {
  const base = url ?? (await notificationService()).url;
  return call<T>(base, 'POST', '/internal/notifications', {
    headers: {
      authorization: `Bearer ${serviceToken()}`,
      ...(idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey }),
    },
    body: request,
  });
}

/** A welcome message to a stored user on `channels`, as user-service asks for it at sign-up. */
export function requestWelcome(userId: string, channels: Array<'email' | 'sms'>, url?: string) {
  return requestNotification(
    { type: 'welcome', recipient: { userId }, channels, data: { name: 'Ana' } },
    undefined,
    url,
  );
}

/** The e-mail the SMTP sandbox received for `address`, once it has. */
export async function emailTo(address: string, what = 'the e-mail') {
  const { smtp } = await notificationService();
  return eventually(() => smtp.messages().find((m) => m.to.includes(address)), what);
}

/** Runs `work` while the shared instance delivers nothing, as if its process were down; then it delivers again. */
export async function whileNotDelivering<T>(work: () => Promise<T>): Promise<T> {
  const { worker } = await notificationService();
  await worker.stop();
  try {
    return await work();
  } finally {
    worker.restart();
  }
}

/**
 * Runs `work` against an instance with settings (or a logger) of its own, the only one delivering
 * meanwhile; closed afterwards.
 */
export function withOwnInstance<T>(
  options: InstanceOptions,
  work: (instance: ListeningServer) => Promise<T>,
): Promise<T> {
  return whileNotDelivering(async () => {
    const { startInstance } = await notificationService();
    const instance = await startInstance(options);
    try {
      return await work(instance);
    } finally {
      await instance.close();
    }
  });
}

export function newUserToken(id: string = randomUUID()) {
  return { id, token: signingKey.tokenFor({ id, roles: ['customer'] }) };
}

export const adminToken = () => signingKey.tokenFor({ id: randomUUID(), roles: ['admin'] });

/** The delivery log as staff see it, filtered by a query string (`recipient=…&channel=email`). */
export async function deliveryLog(query: string): Promise<Delivery[]> {
  const { url } = await notificationService();
  const answer = await call<Page<Delivery>>(url, 'GET', `/api/notifications/deliveries?${query}`, {
    token: adminToken(),
  });
  if (answer.status !== 200) throw new Error(`delivery log: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.items;
}

/** Waits until the delivery of `channel` to `recipient` reaches one of `statuses`. */
export async function deliveryReaching(
  recipient: string,
  channel: 'email' | 'sms',
  statuses: Delivery['status'][],
): Promise<Delivery> {
  return eventually(
    async () => {
      const [delivery] = await deliveryLog(`recipient=${encodeURIComponent(recipient)}&channel=${channel}`);
      return delivery && statuses.includes(delivery.status) ? delivery : undefined;
    },
    `the ${channel} delivery to ${recipient} to be ${statuses.join(' or ')}`,
  );
}

/** Lets the worker run a few more rounds, so a second send would have happened by now. */
export const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));
