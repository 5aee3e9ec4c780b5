import type { HttpClient } from '../../http/client.js';
import type { Order } from '../../contracts/orders.js';
import type { PaymentResult } from '../../contracts/payments.js';
import { internalHttpClient, type InternalClientOptions } from './service-http.js';

/** order-service's internal API, for payment-service's results. */
export class OrderServiceClient {
  readonly http: HttpClient;

  constructor(options: InternalClientOptions) {
    this.http = internalHttpClient('order-service', options);
  }

  /**
   * Moves the order by the payment's result and answers the order. Each result moves an order once;
   * a repeat changes nothing, so it is sent as safe to retry.
   */
  reportPaymentResult(result: PaymentResult): Promise<Order> {
    return this.http.post<Order>(
      `/internal/orders/${encodeURIComponent(result.orderId)}/payment-result`,
      result,
      { idempotencyKey: `${result.paymentId}:${result.status}` },
    );
  }
}
