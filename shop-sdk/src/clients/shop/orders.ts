import type { HttpClient } from '../../http/client.js';
import type {
  Order,
  OrderCancellation,
  OrderListQuery,
  OrderPage,
  OrderStatusUpdate,
  PlaceOrderRequest,
  PlacedOrder,
} from '../../contracts/orders.js';

/** /api/orders: checkout, the customer's orders, and staff's fulfilment. */
export class OrdersApi {
  constructor(private readonly http: HttpClient) {}

  /**
   * Turns the signed-in customer's cart into an order (201) and answers where to pay. Keep the key for
   * retries of the same checkout: a repeat answers the same order, so it is sent as safe to retry.
   */
  place(request: PlaceOrderRequest, idempotencyKey: string): Promise<PlacedOrder> {
    return this.http.post<PlacedOrder>('/api/orders', request, { idempotencyKey });
  }

  list(query: OrderListQuery = {}): Promise<OrderPage> {
    return this.http.get<OrderPage>('/api/orders', { ...query });
  }

  /** With lines and history; a 404 Problem for another customer's order. */
  get(orderId: string): Promise<Order> {
    return this.http.get<Order>(`/api/orders/${encodeURIComponent(orderId)}`);
  }

  /** A 409 Problem naming the current status when the order can no longer be cancelled. */
  cancel(orderId: string, request: OrderCancellation = {}): Promise<Order> {
    return this.http.post<Order>(`/api/orders/${encodeURIComponent(orderId)}/cancel`, request);
  }

  /** orders:manage: processing, shipped (carrier and tracking number), delivered. */
  updateStatus(orderId: string, update: OrderStatusUpdate): Promise<Order> {
    return this.http.patch<Order>(`/api/orders/${encodeURIComponent(orderId)}/status`, update);
  }
}
