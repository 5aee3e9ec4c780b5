import {
  startSmtpSandbox,
  startTwilioSandbox,
  type SmtpSandbox,
  type TwilioSandbox,
} from '@escalable/sandboxes';
import { DevStackError } from './errors.js';

/** The providers' stand-ins the dev stack runs, for e2e tests to read (stack.sandboxes.smtp.messages()). */
export interface DevSandboxes {
  smtp: SmtpSandbox;
  twilio: TwilioSandbox;
}

/** Mailpit's ports for SMTP and its inbox, so habits and bookmarks carry over; Twilio beside them. */
const PORTS = { smtp: 1025, inbox: 8025, twilio: 8026 };

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
  twilioAuthToken: string;
}): Promise<DevSandboxes> {
  const smtp = await startSmtpSandbox({
    smtpPort: PORTS.smtp + options.portOffset,
    httpPort: PORTS.inbox + options.portOffset,
  }).catch(failed('the SMTP sandbox'));
  const twilio = await startTwilioSandbox({
    accountSid: DEV_TWILIO_ACCOUNT_SID,
    authToken: options.twilioAuthToken,
    port: PORTS.twilio + options.portOffset,
  }).catch(async (error: unknown) => {
    await smtp.close();
    return failed('the Twilio sandbox')(error);
  });
  return { smtp, twilio };
}

export async function stopDevSandboxes(sandboxes: DevSandboxes): Promise<void> {
  await Promise.all([sandboxes.smtp.close(), sandboxes.twilio.close()]);
}

/** notification-service's provider settings: the same variables production sets to real SMTP and Twilio. */
export function providerEnv(
  sandboxes: DevSandboxes,
  twilioAuthToken: string,
  gatewayUrl: string,
): Record<string, string> {
  return {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sandboxes.smtp.smtpPort),
    SMTP_SECURE: 'false',
    SMTP_IGNORE_TLS: 'true',
    MAIL_FROM: DEV_MAIL_FROM,
    TWILIO_ACCOUNT_SID: DEV_TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: twilioAuthToken,
    TWILIO_FROM: DEV_TWILIO_FROM,
    TWILIO_API_BASE_URL: sandboxes.twilio.url,
    // Twilio's status callbacks come in through the gateway, as they do in production.
    PUBLIC_BASE_URL: gatewayUrl,
  };
}

function failed(what: string) {
  return (error: unknown): never => {
    throw new DevStackError(`${what} did not start: ${(error as Error).message}`);
  };
}
