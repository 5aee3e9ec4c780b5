import type { HttpClient } from '../../http/client.js';
import type { Reservation, ReservationItem, VariantLookup } from '../../contracts/products.js';
import { internalHttpClient, type InternalClientOptions } from './service-http.js';

/**
 * product-service's internal API: stock reservations for order-service, and fresh prices and
 * availability for cart and order pricing. Reserve, commit and release are idempotent per order, so
 * they are sent as safe to retry.
 */
export class ProductServiceClient {
  readonly http: HttpClient;

  constructor(options: InternalClientOptions) {
    this.http = internalHttpClient('product-service', options);
  }

  /**
   * Holds stock for an order, all lines or none. A repeat with the same items answers the same
   * reservation; out of stock is a 409 Problem `out-of-stock` whose `availability` lists each line.
   */
  reserve(
    orderId: string,
    items: ReservationItem[],
    options: { ttlSeconds?: number } = {},
  ): Promise<Reservation> {
    return this.http.post<Reservation>(
      '/internal/reservations',
      { orderId, items, ...options },
      { idempotencyKey: `reserve:${orderId}` },
    );
  }

  /**
   * Turns the held stock into a sale. A 409 Problem `reservation-expired` once the expiry has passed
   * (the units are given back, so a payment arriving that late needs a refund) and
   * `reservation-closed` once released.
   */
  commit(orderId: string): Promise<Reservation> {
    return this.http.post<Reservation>(
      `/internal/reservations/${encodeURIComponent(orderId)}/commit`,
      undefined,
      {
        idempotencyKey: `commit:${orderId}`,
      },
    );
  }

  /** Gives the held stock back; an expired reservation answers as `expired`, a sold one is a 409 `reservation-committed`. */
  release(orderId: string): Promise<Reservation> {
    return this.http.post<Reservation>(
      `/internal/reservations/${encodeURIComponent(orderId)}/release`,
      undefined,
      {
        idempotencyKey: `release:${orderId}`,
      },
    );
  }

  getReservation(orderId: string): Promise<Reservation> {
    return this.http.get<Reservation>(`/internal/reservations/${encodeURIComponent(orderId)}`);
  }

  /** Current price, status and availability of up to 100 variants. */
  lookupVariants(variantIds: string[]): Promise<VariantLookup> {
    return this.http.get<VariantLookup>('/internal/variants', { ids: variantIds.join(',') });
  }
}
