import express, { type NextFunction, type Request, type Response } from 'express';
import { checkoutPage, paymentResultPage, refusalPage } from './checkout-page.js';
import { CheckoutRefusal, openPreference, payPreference, type Ledger } from './ledger.js';
import type { SandboxPayment } from './mercadopago-sandbox.js';
import { siteOf } from './resources.js';

const CHECKOUT_PATH = '/checkout/v1/redirect';
// No script runs on the page and nothing loads from elsewhere. No form-action either: Chromium
// applies it to the redirect after the post, which goes to the shop.
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

/** The init_point: a page where a person approves or rejects, then goes back to the shop. */
export function checkoutRoutes(ledger: Ledger): express.Router {
  const router = express.Router();

  router.get(CHECKOUT_PATH, (req, res) => {
    const preferenceId = String(req.query.pref_id ?? '');
    const preference = openPreference(ledger, preferenceId);
    const formAction = `${CHECKOUT_PATH}?pref_id=${encodeURIComponent(preferenceId)}`;
    res.set('Content-Security-Policy', PAGE_POLICY).type('html').send(checkoutPage(preference, formAction));
  });

  router.post(CHECKOUT_PATH, express.urlencoded({ extended: false }), (req, res) => {
    const action = (req.body as Record<string, unknown> | undefined)?.action;
    if (action !== 'approve' && action !== 'reject')
      throw new CheckoutRefusal(400, 'Choose approve or reject.');
    const payment = payPreference(ledger, String(req.query.pref_id ?? ''), action);
    const backUrl = returnUrl(ledger, payment);
    if (backUrl) return void res.redirect(303, backUrl);
    res.set('Content-Security-Policy', PAGE_POLICY).type('html').send(paymentResultPage(payment));
  });

  router.use(CHECKOUT_PATH, (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof CheckoutRefusal)) return next(error);
    res.status(error.status).set('Content-Security-Policy', PAGE_POLICY).type('html');
    res.send(refusalPage(error.message));
  });
  return router;
}

/** back_urls.success or .failure with the query MercadoPago adds on the way back to the shop. */
function returnUrl(ledger: Ledger, payment: SandboxPayment): string | undefined {
  const preference = ledger.preferences.find(payment.preferenceId)!;
  const target = payment.status === 'approved' ? preference.backUrls.success : preference.backUrls.failure;
  if (!target) return undefined;
  const url = new URL(target);
  const params: Record<string, string> = {
    collection_id: String(payment.id),
    collection_status: payment.status,
    payment_id: String(payment.id),
    status: payment.status,
    // MercadoPago writes the word null when the preference had no external_reference.
    external_reference: payment.externalReference ?? 'null',
    payment_type: 'credit_card',
    merchant_order_id: String(payment.merchantOrderId),
    preference_id: payment.preferenceId,
    site_id: siteOf(payment.currencyId),
    processing_mode: 'aggregator',
    merchant_account_id: 'null',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}
