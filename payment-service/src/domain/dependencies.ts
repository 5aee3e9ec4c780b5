import type { Logger } from '@escalable/shop-sdk/server';
import type { MercadoPago } from './mercadopago.js';

/** What the payment stories need besides the database, built once in app.ts. */
export interface PaymentDependencies {
  mercadopago: MercadoPago;
  /** Where MercadoPago sends webhooks: this service's public route, through the gateway. */
  notificationUrl: string;
  /** The shop's page the buyer comes back to from the checkout. */
  returnUrl: (orderId: string) => string;
  /** A payment pending this long is read from MercadoPago again. */
  reconcileAfterSeconds: number;
  webhookSecret: string;
  webhookToleranceSeconds: number;
  logger: Logger;
}
