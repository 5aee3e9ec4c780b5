import type { HttpClient } from '../../http/client.js';
import type { PaymentView } from '../../contracts/payments.js';

/** /api/payments: the payment of one of the signed-in customer's orders (any order with payments:read-all). */
export class PaymentsApi {
  constructor(private readonly http: HttpClient) {}

  /** Its status, amounts and history; a 404 Problem for an order that has no payment or is not theirs. */
  forOrder(orderId: string): Promise<PaymentView> {
    return this.http.get<PaymentView>(`/api/payments/orders/${encodeURIComponent(orderId)}`);
  }
}
