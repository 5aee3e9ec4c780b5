import type { HttpClient } from '../../http/client.js';
import type {
  CheckoutRequest,
  PaymentCheckout,
  PaymentView,
  RefundRequest,
} from '../../contracts/payments.js';
import { internalHttpClient, type InternalClientOptions } from './service-http.js';

/** payment-service's internal API, for order-service: checkouts and refunds. */
export class PaymentServiceClient {
  readonly http: HttpClient;

  constructor(options: InternalClientOptions) {
    this.http = internalHttpClient('payment-service', options);
  }

  /**
   * Creates the order's MercadoPago checkout (201). A repeat with the same key and body answers the
   * same checkout, so it is sent as safe to retry; the same key with another body is a 422 Problem,
   * another request for an order with a live checkout a 409, MercadoPago down a 503.
   */
  createCheckout(request: CheckoutRequest, idempotencyKey: string): Promise<PaymentCheckout> {
    return this.http.post<PaymentCheckout>('/internal/payments', request, { idempotencyKey });
  }

  /**
   * Gives back the whole payment, or `request.amount` of it, and answers the payment afterwards. A
   * repeat with the same key answers the same; a 409 Problem when nothing approved is left to refund
   * or the amount exceeds what remains.
   */
  refund(orderId: string, request: RefundRequest, idempotencyKey: string): Promise<PaymentView> {
    return this.http.post<PaymentView>(
      `/internal/payments/orders/${encodeURIComponent(orderId)}/refunds`,
      request,
      { idempotencyKey },
    );
  }

  /** The order's payment with its history; a 404 Problem when the order has none. */
  getPayment(orderId: string): Promise<PaymentView> {
    return this.http.get<PaymentView>(`/internal/payments/orders/${encodeURIComponent(orderId)}`);
  }
}
