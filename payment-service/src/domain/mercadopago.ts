import {
  MercadoPagoConfig,
  MercadoPagoError,
  Payment,
  PaymentRefund,
  Preference,
  type MPNotFoundError,
} from 'mercadopago';
import { AppConfig } from 'mercadopago/dist/utils/config/index.js';
import { problems, type Money } from '@escalable/shop-sdk';
import { toDecimal, toMinorUnits } from './money.js';

/** A payment as MercadoPago answers it, amounts in minor units. */
export interface ProviderPayment {
  id: string;
  status: string;
  statusDetail: string | null;
  orderId: string | null;
  preferenceId: string | null;
  /** Null when MercadoPago names no currency: its amount cannot be read then. */
  amount: Money | null;
  refunded: number;
  createdAt: string | null;
}

export interface PreferenceRequest {
  orderId: string;
  items: { title: string; quantity: number; unitPrice: Money }[];
  payer: { email: string; name?: string };
  expiresAt: Date;
  notificationUrl: string;
  returnUrl: string;
}

export interface MercadoPagoSettings {
  accessToken: string;
  /** Set only to reach a sandbox: the package reads one global origin. */
  apiBaseUrl?: string;
  timeoutMs: number;
  maxRetries: number;
}

export type MercadoPago = ReturnType<typeof createMercadoPago>;

/**
 * MercadoPago through its official package. Every failure to get an answer (down, 5xx, 429 after the
 * package's own retries, a refused token) is a 503 Problem: the shop cannot take payments right now.
 */
export function createMercadoPago(settings: MercadoPagoSettings) {
  if (settings.apiBaseUrl) {
    // The package has no per-client origin: its static AppConfig.BASE_URL is read on every call.
    (AppConfig as { BASE_URL: string }).BASE_URL = settings.apiBaseUrl.replace(/\/+$/, '');
  }
  // Options given per call are merged into the config object and stick to later calls (an idempotency
  // key would be reused by the next create), so each call gets a config of its own.
  const config = (idempotencyKey?: string) =>
    new MercadoPagoConfig({
      accessToken: settings.accessToken,
      options: {
        timeout: settings.timeoutMs,
        maxRetries: settings.maxRetries,
        initialDelay: 200,
        jitter: true,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
    });

  return {
    async createPreference(request: PreferenceRequest, idempotencyKey: string) {
      const preference = await answered(() =>
        new Preference(config(idempotencyKey)).create({
          body: {
            items: request.items.map((item, index) => ({
              id: String(index + 1),
              title: item.title,
              quantity: item.quantity,
              unit_price: toDecimal(item.unitPrice),
              currency_id: item.unitPrice.currency,
            })),
            payer: {
              email: request.payer.email,
              ...(request.payer.name ? { name: request.payer.name } : {}),
            },
            external_reference: request.orderId,
            notification_url: request.notificationUrl,
            back_urls: { success: request.returnUrl, pending: request.returnUrl, failure: request.returnUrl },
            auto_return: 'approved',
            expires: true,
            expiration_date_to: request.expiresAt.toISOString(),
          },
        }),
      );
      if (!preference.id || !preference.init_point)
        throw problems.unavailable(
          'mercadopago',
          'MercadoPago answered a preference without its id or checkout',
        );
      return { id: preference.id, checkoutUrl: preference.init_point };
    },

    /** Undefined when MercadoPago knows no such payment. */
    async getPayment(id: string): Promise<ProviderPayment | undefined> {
      try {
        return providerPayment(await new Payment(config()).get({ id }));
      } catch (error) {
        if (error instanceof MercadoPagoError && (error as MPNotFoundError).status === 404) return undefined;
        throw unavailable(error);
      }
    },

    /** The payments made for an order (its external_reference), oldest first. */
    async paymentsOfOrder(orderId: string): Promise<ProviderPayment[]> {
      const found = await answered(() =>
        new Payment(config()).search({
          options: { external_reference: orderId, sort: 'date_created', criteria: 'asc' },
        }),
      );
      return (found.results ?? []).map((result) => providerPayment(result));
    },

    async refund(paymentId: string, amount: Money, idempotencyKey: string): Promise<{ id: string }> {
      const refund = await answered(() =>
        new PaymentRefund(config(idempotencyKey)).create({
          payment_id: paymentId,
          body: { amount: toDecimal(amount) },
        }),
      );
      return { id: String(refund.id) };
    },
  };
}

interface PaymentFields {
  id?: number | string;
  status?: string;
  status_detail?: string;
  external_reference?: string;
  transaction_amount?: number;
  transaction_amount_refunded?: number;
  currency_id?: string;
  date_created?: string;
}

function providerPayment(payment: PaymentFields & { preference_id?: string }): ProviderPayment {
  const currency = payment.currency_id;
  return {
    id: String(payment.id),
    status: payment.status ?? 'pending',
    statusDetail: payment.status_detail ?? null,
    orderId: payment.external_reference ?? null,
    preferenceId: payment.preference_id ?? null,
    amount: currency ? { amount: toMinorUnits(payment.transaction_amount ?? 0, currency), currency } : null,
    refunded: currency ? toMinorUnits(payment.transaction_amount_refunded ?? 0, currency) : 0,
    createdAt: payment.date_created ?? null,
  };
}

async function answered<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw unavailable(error);
  }
}

function unavailable(error: unknown) {
  const status =
    error instanceof MercadoPagoError ? (error as MercadoPagoError & { status: number }).status : 0;
  return problems.unavailable(
    'mercadopago',
    status ? `MercadoPago answered ${status}` : 'MercadoPago did not answer',
    error,
  );
}
