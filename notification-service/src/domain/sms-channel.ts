import twilio from 'twilio';
import { permanentFailure, temporaryFailure, type DeliveryFailure } from './delivery-failure.js';

export interface SmsSettings {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  /** Twilio's API origin, only to reach a sandbox. */
  apiBaseUrl?: string;
  /** Where Twilio posts status changes: the public URL of the status-callback route. */
  statusCallbackUrl: string;
}

export interface SmsChannel {
  /** Sends one SMS; answers Twilio's message SID, or throws a {@link DeliveryFailure}. */
  send(sms: { to: string; body: string }): Promise<string>;
  /** Whether a status callback's X-Twilio-Signature was made with our auth token for exactly these parameters. */
  isSignedByTwilio(signature: string | undefined, params: Record<string, string>): boolean;
}

interface TwilioError {
  status?: number;
  code?: number | string;
  message?: string;
}

/**
 * Twilio answering 429 or 5xx, or not answering, is temporary. Any other 4xx is about this message
 * (21211 not a valid number, 21614 not a mobile number, 21610 unsubscribed) and fails at once, except
 * 401/403: those are our credentials, which an operator fixes, so they are retried like an outage.
 */
function failureOf(error: unknown): DeliveryFailure {
  const { status, code, message } = error as TwilioError;
  if (status === undefined)
    return temporaryFailure(`Twilio unreachable: ${code ?? message ?? String(error)}`, error);
  const reason = `Twilio ${status}${typeof code === 'number' ? ` (${code})` : ''}: ${message ?? ''}`.trim();
  const temporary = status === 429 || status >= 500 || status === 401 || status === 403;
  return temporary ? temporaryFailure(reason, error) : permanentFailure(reason, error);
}

/** SMS through the official twilio package's Messages API. */
export function createSmsChannel(settings: SmsSettings): SmsChannel {
  // Retries are the delivery worker's, with its own backoff and attempt count.
  const client = twilio(settings.accountSid, settings.authToken, { autoRetry: false, timeout: 15_000 });
  if (settings.apiBaseUrl) client.api.baseUrl = settings.apiBaseUrl;
  const sender = settings.messagingServiceSid
    ? { messagingServiceSid: settings.messagingServiceSid }
    : { from: settings.from! };
  return {
    async send({ to, body }) {
      try {
        const message = await client.messages.create({
          ...sender,
          to,
          body,
          statusCallback: settings.statusCallbackUrl,
        });
        return message.sid;
      } catch (error) {
        throw failureOf(error);
      }
    },
    isSignedByTwilio(signature, params) {
      return (
        signature !== undefined &&
        twilio.validateRequest(settings.authToken, signature, settings.statusCallbackUrl, params)
      );
    },
  };
}
