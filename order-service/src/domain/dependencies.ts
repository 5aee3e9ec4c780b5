import type {
  CartServiceClient,
  PaymentServiceClient,
  ProductServiceClient,
  UserServiceClient,
} from '@escalable/shop-sdk/internal';
import type { Logger } from '@escalable/shop-sdk/server';

/** What the order stories need besides the database, built once in app.ts. */
export interface OrderDependencies {
  carts: CartServiceClient;
  catalog: ProductServiceClient;
  payments: PaymentServiceClient;
  users: UserServiceClient;
  /** How long stock is held for an unpaid order, and its checkout stays open. */
  paymentTtlSeconds: number;
  /** How long a checkout waits for another request holding the same Idempotency-Key. */
  checkoutWaitMs: number;
  /** Unpaid orders one customer may hold at once. */
  maxPendingOrders: number;
  logger: Logger;
}
