import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { checkoutRoutes } from './checkout-routes.js';
import { createPreference, findPayment, refundPayment, type Ledger } from './ledger.js';
import {
  badRequestError,
  invalidTokenError,
  MercadoPagoApiError,
  missingTokenError,
  preferenceNotFoundError,
  resourceNotFoundError,
} from './mercadopago-errors.js';
import { idempotencyKeys } from './idempotency.js';
import { searchPayments } from './payment-search.js';
import { parsePreferenceRequest } from './preference-request.js';
import { paymentResource, preferenceResource, refundResource } from './resources.js';

export interface MercadoPagoAppOptions {
  accessToken: string;
  ledger: Ledger;
  /** A failure the test asked for, to answer the next API call with. */
  nextFailure: () => MercadoPagoApiError | undefined;
}

export function mercadoPagoApp(options: MercadoPagoAppOptions): express.Express {
  const { ledger } = options;
  const app = express();
  app.disable('x-powered-by');
  const preferences = express.Router();
  preferences.post('/', (req, res) => {
    const preference = createPreference(ledger, parsePreferenceRequest(req.body));
    res.status(201).json(preferenceResource(preference, ledger.collectorId));
  });
  preferences.get('/:id', (req, res) => {
    const preference = ledger.preferences.find(req.params.id);
    if (!preference) throw preferenceNotFoundError(req.params.id);
    res.json(preferenceResource(preference, ledger.collectorId));
  });

  const payments = express.Router();
  payments.get('/payments/search', (req, res) => {
    const { paging, results } = searchPayments(ledger.payments.all(), req.query);
    res.json({ paging, results: results.map((payment) => paymentResource(payment, ledger.collectorId)) });
  });
  payments.get('/payments/:id', (req, res) => {
    res.json(paymentResource(findPayment(ledger, Number(req.params.id)), ledger.collectorId));
  });
  payments.get('/payments/:id/refunds', (req, res) => {
    res.json(findPayment(ledger, Number(req.params.id)).refunds.map(refundResource));
  });
  payments.post('/payments/:id/refunds', (req, res) => {
    if (!req.get('x-idempotency-key')) throw badRequestError(4292, "Header X-Idempotency-Key can't be null");
    const refund = refundPayment(ledger, Number(req.params.id), refundAmount(req.body));
    res.status(201).json(refundResource(refund));
  });

  const api = [authenticate(options), express.json(), idempotencyKeys()];
  app.use('/checkout/preferences', api, preferences);
  app.use('/v1', api, payments);
  app.use(checkoutRoutes(ledger));

  // The sandbox's own inspection API, beside MercadoPago's.
  app.get('/api/preferences', (_req, res) => void res.json(ledger.preferences.all()));
  app.get('/api/payments', (_req, res) => void res.json(ledger.payments.all()));

  app.use((req: Request) => {
    throw resourceNotFoundError(req.path);
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const answer = answerTo(error);
    res.status(answer.status).json(answer.body());
  });
  return app;
}

/** Bearer auth with the sandbox's access token; then a failure the test queued, if any. */
function authenticate(options: MercadoPagoAppOptions) {
  const expected = Buffer.from(options.accessToken);
  return (req: Request, _res: Response, next: NextFunction) => {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) return next(missingTokenError());
    const given = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return next(invalidTokenError());
    next(options.nextFailure());
  };
}

function refundAmount(body: unknown): number | undefined {
  const amount = body && typeof body === 'object' ? (body as { amount?: unknown }).amount : undefined;
  if (amount === undefined || amount === null) return undefined;
  if (typeof amount !== 'number' || !Number.isFinite(amount))
    throw badRequestError(4041, 'amount attribute must be numeric');
  if (amount <= 0) throw badRequestError(4040, 'amount attribute must be positive');
  return amount;
}

function answerTo(error: unknown): MercadoPagoApiError {
  if (error instanceof MercadoPagoApiError) return error;
  // express.json() refusing a body that is not JSON.
  if ((error as { type?: string }).type === 'entity.parse.failed')
    return badRequestError('bad_request', 'the body is not valid JSON');
  return new MercadoPagoApiError(500, 'internal_error', 'Internal server error', 'internal_error');
}
