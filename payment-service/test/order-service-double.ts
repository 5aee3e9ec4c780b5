import { type PaymentResult } from '@escalable/shop-sdk';
import { startInternalStandIn, type InternalStandIn } from '@escalable/shop-sdk/testing';

export interface ReceivedResult {
  orderId: string;
  idempotencyKey: string;
  result: PaymentResult;
}

/** `received` holds every request as it came, repeats included; while `down`, every result is answered 503. */
export interface OrderServiceDouble extends InternalStandIn {
  /** Every result taken (answered 200), oldest first; a repeated key is listed once. */
  results: ReceivedResult[];
}

/**
 * order-service as payment-service sees it: POST /internal/orders/:orderId/payment-result per the
 * PaymentResult contract, service credentials checked, a repeated Idempotency-Key answered the same.
 */
export async function startOrderServiceDouble(serviceSecret: string): Promise<OrderServiceDouble> {
  const results: ReceivedResult[] = [];
  const server = await startInternalStandIn(serviceSecret, (app) => {
    app.post('/internal/orders/:orderId/payment-result', (req, res) => {
      const idempotencyKey = String(req.headers['idempotency-key'] ?? '');
      if (!results.some((each) => each.idempotencyKey === idempotencyKey))
        results.push({ orderId: req.params.orderId, idempotencyKey, result: req.body as PaymentResult });
      res.json({ orderId: req.params.orderId });
    });
  });
  return Object.assign(server, { results });
}
