import {
  startMercadoPagoSandbox,
  startSmtpSandbox,
  startTwilioSandbox,
  type MercadoPagoSandbox,
  type SmtpSandbox,
  type TwilioSandbox,
} from '@escalable/sandboxes';
import { DevStackError } from './errors.js';
import type { DevSecrets } from './keys.js';

/** The providers' stand-ins the dev stack runs, for e2e tests to read (stack.sandboxes.smtp.messages()). */
export interface DevSandboxes {
  smtp: SmtpSandbox;
  twilio: TwilioSandbox;
  mercadopago: MercadoPagoSandbox;
}

/** Mailpit's ports for SMTP and its inbox, so habits and bookmarks carry over; Twilio and MercadoPago beside them. */
const PORTS = { smtp: 1025, inbox: 8025, twilio: 8026, mercadopago: 8027 };

/** A development account: "escalable" in hex, so it reads as a fake at a glance. */
export const DEV_TWILIO_ACCOUNT_SID = `AC${'e5ca1ab1e'.padEnd(32, '0')}`;
/** Twilio's magic sender that test credentials accept. */
const DEV_TWILIO_FROM = '+15005550006';
const DEV_MAIL_FROM = 'Escalable shop <no-reply@escalable.local>';

export function sandboxPorts(portOffset: number): number[] {
  return Object.values(PORTS).map((port) => port + portOffset);
}

export async function startDevSandboxes(options: {
  portOffset: number;
  secrets: DevSecrets;
}): Promise<DevSandboxes> {
  const started: { close(): Promise<void> }[] = [];
  // One that fails to start stops those started before it: the caller has nothing to stop yet.
  async function start<T extends { close(): Promise<void> }>(what: string, begin: () => Promise<T>) {
    try {
      const sandbox = await begin();
      started.push(sandbox);
      return sandbox;
    } catch (error) {
      await Promise.all(started.map((sandbox) => sandbox.close()));
      throw new DevStackError(`${what} did not start: ${(error as Error).message}`);
    }
  }
  const port = (name: keyof typeof PORTS) => PORTS[name] + options.portOffset;
  const smtp = await start('the SMTP sandbox', () =>
    startSmtpSandbox({ smtpPort: port('smtp'), httpPort: port('inbox') }),
  );
  const twilio = await start('the Twilio sandbox', () =>
    startTwilioSandbox({
      accountSid: DEV_TWILIO_ACCOUNT_SID,
      authToken: options.secrets.twilioAuthToken,
      port: port('twilio'),
    }),
  );
  const mercadopago = await start('the MercadoPago sandbox', () =>
    startMercadoPagoSandbox({
      accessToken: options.secrets.mercadopagoAccessToken,
      webhookSecret: options.secrets.mercadopagoWebhookSecret,
      port: port('mercadopago'),
    }),
  );
  return { smtp, twilio, mercadopago };
}

export async function stopDevSandboxes(sandboxes: DevSandboxes): Promise<void> {
  await Promise.all(Object.values(sandboxes).map((sandbox) => sandbox.close()));
}

/**
 * Each service's provider settings, by service folder: the same variables production sets to the
 * real SMTP server, Twilio and MercadoPago. Webhooks and callbacks come in through the gateway, and
 * the buyer returns there from the checkout page, as in production.
 */
export function providerEnv(
  sandboxes: DevSandboxes,
  secrets: DevSecrets,
  gatewayUrl: string,
): Record<string, Record<string, string>> {
  return {
    'notification-service': {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sandboxes.smtp.smtpPort),
      SMTP_SECURE: 'false',
      SMTP_IGNORE_TLS: 'true',
      MAIL_FROM: DEV_MAIL_FROM,
      TWILIO_ACCOUNT_SID: DEV_TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: secrets.twilioAuthToken,
      TWILIO_FROM: DEV_TWILIO_FROM,
      TWILIO_API_BASE_URL: sandboxes.twilio.url,
      PUBLIC_BASE_URL: gatewayUrl,
    },
    'payment-service': {
      MERCADOPAGO_ACCESS_TOKEN: secrets.mercadopagoAccessToken,
      MERCADOPAGO_WEBHOOK_SECRET: secrets.mercadopagoWebhookSecret,
      MERCADOPAGO_API_BASE_URL: sandboxes.mercadopago.url,
      PUBLIC_BASE_URL: gatewayUrl,
    },
  };
}
