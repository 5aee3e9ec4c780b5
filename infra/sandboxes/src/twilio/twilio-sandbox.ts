import { listenHttp } from '../http/listen.js';
import { RecentList } from '../recent-list.js';
import { simulatedFailure, type TwilioApiError } from './twilio-errors.js';
import { messagesApp } from './messages-app.js';

/** One SMS the sandbox accepted. */
export interface SandboxSms {
  /** "SM" and 32 hex digits. */
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  /** queued (accepted with a messaging service), then sent, then delivered. */
  status: string;
  statusCallback: string | null;
  /** ISO 8601. */
  dateCreated: string;
}

export interface TwilioSandboxOptions {
  accountSid: string;
  authToken: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 or omitted: a free port. */
  port?: number;
  /** Before each status change (sent, delivered) and its callback. Default 50 ms. */
  callbackDelayMs?: number;
}

export interface TwilioSandbox {
  /** Set `client.api.baseUrl` to it. */
  url: string;
  /** Newest first. */
  messages(): SandboxSms[];
  clear(): void;
  /** The next `count` API calls answer `status` with Twilio's error body instead. */
  failNext(count: number, status: 429 | 500 | 503): void;
  close(): Promise<void>;
}

/** The part of Twilio's Messages API the twilio package calls to send an SMS, with status callbacks. */
export async function startTwilioSandbox(options: TwilioSandboxOptions): Promise<TwilioSandbox> {
  const sent = new RecentList<SandboxSms>((sms) => sms.sid);
  const failures: TwilioApiError[] = [];
  const stopped = new AbortController();
  const app = messagesApp({
    accountSid: options.accountSid,
    authToken: options.authToken,
    sent,
    nextFailure: () => failures.shift(),
    callbacks: {
      authToken: options.authToken,
      delayMs: options.callbackDelayMs ?? 50,
      signal: stopped.signal,
    },
  });
  const http = await listenHttp(app, options.host ?? '127.0.0.1', options.port ?? 0);
  return {
    url: http.url,
    messages: () => sent.all(),
    clear: () => sent.clear(),
    failNext(count, status) {
      for (let i = 0; i < count; i++) failures.push(simulatedFailure(status));
    },
    async close() {
      stopped.abort();
      await http.close();
    },
  };
}
