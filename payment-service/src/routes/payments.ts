import { Router } from 'express';
import type { TokenVerifier } from '@escalable/shop-sdk/internal';
import { authenticate, claimsOf, pathParam } from '@escalable/shop-sdk/server';
import type { PaymentDependencies } from '../domain/dependencies.js';
import { readPaymentAs } from '../domain/payment-view.js';
import { receiveWebhook } from '../domain/webhooks.js';
import { orderId } from './schemas.js';

/** The path of MercadoPago's notifications, below /api/payments. */
export const WEBHOOK_PATH = '/webhooks/mercadopago';

/** /api/payments: MercadoPago's webhooks, and an order's payment for its customer or staff. */
export function paymentRoutes(verify: TokenVerifier, deps: PaymentDependencies): Router {
  const router = Router();

  // MercadoPago signs its notifications instead of presenting a token, so this comes before
  // authentication; it answers at once, and the payment is read from MercadoPago afterwards.
  router.post(WEBHOOK_PATH, async (req, res) => {
    await receiveWebhook(
      {
        signature: req.get('x-signature'),
        requestId: req.get('x-request-id'),
        query: req.query as Record<string, unknown>,
        body: req.body,
      },
      deps,
    );
    res.status(200).json({ received: true });
  });

  router.get('/orders/:orderId', authenticate(verify), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await readPaymentAs(pathParam(req, 'orderId', orderId), claimsOf(req)));
  });

  return router;
}
