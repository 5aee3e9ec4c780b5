/** An error as Twilio's REST API answers it: the HTTP status and a JSON body with Twilio's code. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }
}

export const authenticationError = () =>
  new TwilioApiError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.');

export const notFoundError = (path: string) =>
  new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);

const FAILURE_MESSAGES: Record<number, [code: number, message: string]> = {
  429: [20429, 'Too Many Requests'],
  500: [20500, 'Internal Server Error'],
  503: [20503, 'Service Unavailable'],
};

export function simulatedFailure(status: 429 | 500 | 503): TwilioApiError {
  const [code, message] = FAILURE_MESSAGES[status]!;
  return new TwilioApiError(status, code, message);
}

// Twilio's test credentials answer these numbers with these errors; the sandbox does the same for
// any account, so a test can provoke each permanent failure a real send can meet.
const MAGIC_TO: Record<string, [code: number, message: string]> = {
  '+15005550001': [21211, "The 'To' number +15005550001 is not a valid phone number."],
  '+15005550002': [
    21612,
    "The 'To' phone number: +15005550002, is not currently reachable using the 'From' phone number via SMS.",
  ],
  '+15005550003': [
    21408,
    "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003.",
  ],
  '+15005550004': [21610, 'Attempt to send to unsubscribed recipient'],
  '+15005550009': [21614, "'To' number is not a valid mobile number"],
};
const MAGIC_FROM: Record<string, [code: number, message: string]> = {
  '+15005550001': [
    21212,
    "The 'From' number +15005550001 is not a valid phone number, shortcode, or alphanumeric sender ID.",
  ],
  '+15005550007': [
    21606,
    "The 'From' phone number provided (+15005550007) is not a valid message-capable Twilio phone number for this destination/account.",
  ],
  '+15005550008': [21611, "This 'From' number has exceeded the maximum number of queued messages"],
};

const E164 = /^\+[1-9]\d{1,14}$/;
// A sender is a phone number, a short code or an alphanumeric sender ID (up to 11 characters).
const SENDER = /^(\+[1-9]\d{1,14}|\d{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/;
const MAX_BODY_CHARACTERS = 1600;

export interface MessageRequest {
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
}

/** The 400 Twilio answers a Messages create with, or undefined when it would accept it. */
export function refusalOf(request: MessageRequest): TwilioApiError | undefined {
  if (!request.to) return new TwilioApiError(400, 21604, "A 'To' phone number is required.");
  if (!request.from && !request.messagingServiceSid)
    return new TwilioApiError(
      400,
      21603,
      "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
    );
  if (!request.body) return new TwilioApiError(400, 21602, 'Message body is required.');
  if (request.body.length > MAX_BODY_CHARACTERS)
    return new TwilioApiError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  if (!E164.test(request.to))
    return new TwilioApiError(400, 21211, `The 'To' number ${request.to} is not a valid phone number.`);
  if (request.from && !SENDER.test(request.from))
    return new TwilioApiError(
      400,
      21212,
      `The 'From' number ${request.from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
    );
  const magic = (request.from && MAGIC_FROM[request.from]) || MAGIC_TO[request.to];
  return magic ? new TwilioApiError(400, magic[0], magic[1]) : undefined;
}
