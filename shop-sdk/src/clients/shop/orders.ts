import { bodyOf, type ApiTransport, type CallOptions } from '../../http/api-transport.js';
import type {
  Order,
  OrderCancellation,
  OrderListQuery,
  OrderPage,
  OrderStatusUpdate,
  PlaceOrderRequest,
  PlacedOrder,
} from '../../contracts/orders.js';

const at = (id: string) => encodeURIComponent(id);

/** /api/orders: checkout, the customer's orders, and staff's fulfilment. */
export class OrdersApi {
  constructor(private readonly http: ApiTransport) {}

  /**
   * Turns the signed-in customer's cart into an order (201) and answers where to pay. Keep the key for
   * retries of the same checkout: a repeat answers the same order.
   */
  place(request: PlaceOrderRequest, idempotencyKey: string, call?: CallOptions): Promise<PlacedOrder> {
    return bodyOf<PlacedOrder>(this.http, {
      method: 'POST',
      path: '/api/orders',
      body: request,
      idempotencyKey,
      ...call,
    });
  }

  list(query: OrderListQuery = {}, call?: CallOptions): Promise<OrderPage> {
    return bodyOf<OrderPage>(this.http, { path: '/api/orders', query: { ...query }, ...call });
  }

  /** With lines and history; a 404 Problem for another customer's order. */
  get(orderId: string, call?: CallOptions): Promise<Order> {
    return bodyOf<Order>(this.http, { path: `/api/orders/${at(orderId)}`, ...call });
  }

  /** A 409 Problem naming the current status when the order can no longer be cancelled. */
  cancel(orderId: string, request: OrderCancellation = {}, call?: CallOptions): Promise<Order> {
    return bodyOf<Order>(this.http, {
      method: 'POST',
      path: `/api/orders/${at(orderId)}/cancel`,
      body: request,
      ...call,
    });
  }

  /** orders:manage: processing, shipped (carrier and tracking number), delivered. */
  updateStatus(orderId: string, update: OrderStatusUpdate, call?: CallOptions): Promise<Order> {
    return bodyOf<Order>(this.http, {
      method: 'PATCH',
      path: `/api/orders/${at(orderId)}/status`,
      body: update,
      ...call,
    });
  }
}
