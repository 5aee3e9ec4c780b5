import { bodyOf, type ApiTransport, type CallOptions } from '../../http/api-transport.js';
import type { PaymentView } from '../../contracts/payments.js';

/** /api/payments: the payment of one of the signed-in customer's orders (any order with payments:read-all). */
export class PaymentsApi {
  constructor(private readonly http: ApiTransport) {}

  /** Its status, amounts and history; a 404 Problem for an order that has no payment or is not theirs. */
  forOrder(orderId: string, call?: CallOptions): Promise<PaymentView> {
    return bodyOf<PaymentView>(this.http, {
      path: `/api/payments/orders/${encodeURIComponent(orderId)}`,
      ...call,
    });
  }
}
