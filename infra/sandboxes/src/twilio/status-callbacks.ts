import { setTimeout as sleep } from 'node:timers/promises';
import twilio from 'twilio';
import { API_VERSION } from './message-resource.js';
import type { SandboxSms } from './twilio-sandbox.js';

const ATTEMPTS = 4;

export interface StatusProgress {
  authToken: string;
  delayMs: number;
  signal: AbortSignal;
}

/**
 * Moves a queued message to sent, then delivered, one delay apart, and tells its StatusCallback
 * each time, as Twilio does: a form POST signed with X-Twilio-Signature. A callback that does not
 * answer 2xx is tried again a few times, each wait twice the last.
 */
export async function progressStatus(sms: SandboxSms, options: StatusProgress): Promise<void> {
  try {
    for (const status of ['sent', 'delivered'] as const) {
      await sleep(options.delayMs, undefined, { signal: options.signal });
      sms.status = status;
      if (sms.statusCallback) await notify(sms, options);
    }
  } catch (error) {
    if (!options.signal.aborted) throw error;
  }
}

async function notify(sms: SandboxSms, options: StatusProgress): Promise<void> {
  const url = sms.statusCallback!;
  const params: Record<string, string> = {
    AccountSid: sms.accountSid,
    ApiVersion: API_VERSION,
    From: sms.from ?? '',
    MessageSid: sms.sid,
    MessageStatus: sms.status,
    SmsSid: sms.sid,
    SmsStatus: sms.status,
    To: sms.to,
    ...(sms.messagingServiceSid ? { MessagingServiceSid: sms.messagingServiceSid } : {}),
  };
  const signature = twilio.getExpectedTwilioSignature(options.authToken, url, params);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const answered = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      body: new URLSearchParams(params),
      signal: options.signal,
    }).then(
      async (res) => {
        await res.body?.cancel();
        return res.ok;
      },
      () => false,
    );
    if (answered || attempt === ATTEMPTS) return;
    await sleep(options.delayMs * 2 ** attempt, undefined, { signal: options.signal });
  }
}
