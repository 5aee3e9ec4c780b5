import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { RecentList } from '../recent-list.js';
import { API_VERSION, messageResource } from './message-resource.js';
import { progressStatus, type StatusProgress } from './status-callbacks.js';
import { authenticationError, notFoundError, refusalOf, TwilioApiError } from './twilio-errors.js';
import type { SandboxSms } from './twilio-sandbox.js';

export interface MessagesAppOptions {
  accountSid: string;
  authToken: string;
  sent: RecentList<SandboxSms>;
  /** A failure the test asked for, to answer the next API call with. */
  nextFailure: () => TwilioApiError | undefined;
  callbacks: StatusProgress;
}

export function messagesApp(options: MessagesAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const account = express.Router({ mergeParams: true });
  app.use(
    `/${API_VERSION}/Accounts/:accountSid`,
    authenticate(options),
    express.urlencoded({ extended: false }),
    account,
  );

  account.post('/Messages.json', (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const request = {
      to: field(form, 'To'),
      from: field(form, 'From') || null,
      messagingServiceSid: field(form, 'MessagingServiceSid') || null,
      body: field(form, 'Body'),
    };
    const refusal = refusalOf(request);
    if (refusal) throw refusal;
    const sms: SandboxSms = {
      ...request,
      sid: `SM${randomBytes(16).toString('hex')}`,
      accountSid: options.accountSid,
      // Twilio first accepts a message sent through a messaging service, then picks a sender.
      status: request.messagingServiceSid && !request.from ? 'accepted' : 'queued',
      statusCallback: field(form, 'StatusCallback') || null,
      dateCreated: new Date().toISOString(),
    };
    options.sent.add(sms);
    void progressStatus(sms, options.callbacks);
    res.status(201).json(messageResource(sms));
  });
  account.get('/Messages/:sid.json', (req, res) => {
    const sms = options.sent.find(String(req.params.sid));
    if (!sms) throw notFoundError(req.originalUrl);
    res.json(messageResource(sms));
  });

  // The sandbox's own inspection API, beside Twilio's.
  app.get('/api/messages', (_req, res) => {
    res.json(options.sent.all());
  });
  app.delete('/api/messages', (_req, res) => {
    options.sent.clear();
    res.status(204).end();
  });

  app.use((req: Request) => {
    throw notFoundError(req.path);
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const answer =
      error instanceof TwilioApiError ? error : new TwilioApiError(500, 20500, 'Internal Server Error');
    if (answer.status === 401) res.set('WWW-Authenticate', 'Basic realm="Twilio API"');
    res.status(answer.status).json(answer.body());
  });
  return app;
}

/** Basic auth as the account's SID and auth token; then a failure the test queued, if any. */
function authenticate(options: MessagesAppOptions) {
  const expected = Buffer.from(`${options.accountSid}:${options.authToken}`);
  return (req: Request, _res: Response, next: NextFunction) => {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const given = Buffer.from(encoded ?? '', 'base64');
    const valid =
      scheme?.toLowerCase() === 'basic' &&
      given.length === expected.length &&
      timingSafeEqual(given, expected) &&
      req.params.accountSid === options.accountSid;
    if (!valid) return next(authenticationError());
    next(options.nextFailure());
  };
}

function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0] ?? '') : '';
}
