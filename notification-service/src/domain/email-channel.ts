import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { permanentFailure, temporaryFailure, type DeliveryFailure } from './delivery-failure.js';

export interface EmailSettings {
  host: string;
  port: number;
  secure: boolean;
  ignoreTLS: boolean;
  user?: string;
  password?: string;
  /** The From of every message. */
  from: string;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The notification's idempotency key: the same key always gives the same Message-ID. */
  idempotencyKey: string;
}

export interface EmailChannel {
  /** Sends one message; answers its Message-ID, or throws a {@link DeliveryFailure}. */
  send(email: OutgoingEmail): Promise<string>;
  close(): void;
}

interface SmtpError {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * A 5xx reply refuses this message for good (a refused recipient or sender, rejected content); every
 * other failure (connection refused or cut, timeouts, 4xx "try later") is temporary. A 5xx to AUTH
 * is this service's credentials, not the message, so it waits for an operator like an outage.
 */
function failureOf(error: unknown): DeliveryFailure {
  const smtp = error as SmtpError;
  // Nodemailer's `response` is the server's whole reply line, its code first.
  const reply = smtp.responseCode ? `SMTP ${smtp.response ?? smtp.responseCode}` : undefined;
  if (reply && smtp.responseCode! >= 500 && !smtp.command?.startsWith('AUTH'))
    return permanentFailure(reply, error);
  return temporaryFailure(reply ?? `SMTP ${smtp.code ?? 'error'}: ${smtp.message ?? String(error)}`, error);
}

/** E-mail over SMTP with a pooled transport: connections are reused across sends and instances' rounds. */
export function createEmailChannel(settings: EmailSettings): EmailChannel {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 5,
    // A pooled connection the server closed (idle timeout, a 421 on the way out) gets one immediate
    // second try on a fresh one; anything longer is the worker's, with its backoff and its record.
    maxRequeues: 1,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ignoreTLS: settings.ignoreTLS,
    auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const domain = /@([\w.-]+)>?\s*$/.exec(settings.from)?.[1] ?? 'localhost';
  return {
    async send(email) {
      // A send whose result was lost (a crash before it was recorded) is repeated with the same
      // Message-ID, which lets mail systems and readers recognise the duplicate.
      const digest = createHash('sha256').update(email.idempotencyKey).digest('hex').slice(0, 40);
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: `<${digest}@${domain}>`,
        });
        return info.messageId;
      } catch (error) {
        throw failureOf(error);
      }
    },
    close: () => transport.close(),
  };
}
