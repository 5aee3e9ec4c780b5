import { type PaymentResult } from '@escalable/shop-sdk';
import { verifyServiceToken } from '@escalable/shop-sdk/internal';
import { startStandIn, type ListeningServer } from '@escalable/shop-sdk/testing';

export interface ReceivedResult {
  orderId: string;
  idempotencyKey: string;
  result: PaymentResult;
}

export interface OrderServiceDouble extends ListeningServer {
  /** Every result taken (answered 200), oldest first; a repeated key is listed once. */
  results: ReceivedResult[];
  /** Every request as it came, repeats included. */
  received: Array<{ method: string; path: string; body: unknown; headers: Record<string, unknown> }>;
  /** While true, every result is answered 503, as order-service down would. */
  down: boolean;
}

/**
 * order-service as payment-service sees it: POST /internal/orders/:orderId/payment-result per the
 * PaymentResult contract, service credentials checked, a repeated Idempotency-Key answered the same.
 */
export async function startOrderServiceDouble(serviceSecret: string): Promise<OrderServiceDouble> {
  const results: ReceivedResult[] = [];
  const control = { down: false };
  const problem = (status: number, type: string) => ({ type, title: type, status });
  const server = await startStandIn((app) => {
    app.post('/internal/orders/:orderId/payment-result', (req, res) => {
      try {
        verifyServiceToken(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '', serviceSecret);
      } catch {
        res.status(401).type('application/problem+json').json(problem(401, 'unauthorized'));
        return;
      }
      if (control.down) {
        res.status(503).type('application/problem+json').json(problem(503, 'unavailable'));
        return;
      }
      const idempotencyKey = String(req.headers['idempotency-key'] ?? '');
      if (!results.some((each) => each.idempotencyKey === idempotencyKey))
        results.push({ orderId: req.params.orderId, idempotencyKey, result: req.body as PaymentResult });
      res.json({ orderId: req.params.orderId });
    });
  });
  return {
    ...server,
    results,
    get down() {
      return control.down;
    },
    set down(value: boolean) {
      control.down = value;
    },
  };
}
