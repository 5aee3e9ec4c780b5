import { listenHttp } from '../http/listen.js';
import { RecentList } from '../recent-list.js';
import { mercadoPagoApp } from './mercadopago-app.js';
import { simulatedFailure, type MercadoPagoApiError } from './mercadopago-errors.js';
import { changePaymentStatus, idSequence, payPreference, type Ledger } from './ledger.js';
import { Notifier } from './notifications.js';
import type { PreferenceRequest } from './preference-request.js';

export type CheckoutOutcome = 'approve' | 'reject';
export type NotificationAction = 'payment.created' | 'payment.updated';

/** A Checkout Pro preference the sandbox created. Amounts in the currency's major unit, as MercadoPago's. */
export interface SandboxPreference extends PreferenceRequest {
  /** `<collector id>-<uuid>`, as MercadoPago's. */
  id: string;
  /** Sum of quantity × unit price. */
  total: number;
  currencyId: string;
  /** `${url}/checkout/v1/redirect?pref_id=<id>`: the checkout page. */
  initPoint: string;
  /** Every payment of this preference belongs to this merchant order. */
  merchantOrderId: number;
  /** ISO 8601. */
  dateCreated: string;
}

export interface SandboxRefund {
  id: number;
  paymentId: number;
  amount: number;
  status: 'approved';
  dateCreated: string;
}

/** A payment made on a checkout page. */
export interface SandboxPayment {
  id: number;
  preferenceId: string;
  merchantOrderId: number;
  externalReference: string | null;
  /** approved, rejected, then refunded, charged_back, … */
  status: string;
  statusDetail: string;
  transactionAmount: number;
  amountRefunded: number;
  currencyId: string;
  description: string;
  payerEmail: string | null;
  notificationUrl: string | null;
  refunds: SandboxRefund[];
  dateCreated: string;
  dateApproved: string | null;
  dateLastUpdated: string;
}

/** One delivery attempt of a webhook notification (or a notification dropped on purpose). */
export interface SandboxNotification {
  /** notification_url with `data.id` and `type=payment` added. */
  url: string;
  action: NotificationAction;
  paymentId: string;
  /** The x-request-id header: the same for every attempt of one notification. */
  requestId: string;
  /** The x-signature header of this attempt (empty when dropped). */
  signature: string;
  body: Record<string, unknown>;
  /** 1 for the first try. */
  attempt: number;
  /** What the receiver answered; null when it did not (refused, timed out) or the notification was dropped. */
  status: number | null;
  dropped: boolean;
  /** When the attempt ended, ISO 8601. */
  at: string;
}

export interface MercadoPagoSandboxOptions {
  /** The Bearer token the API accepts. */
  accessToken: string;
  /** Signs notifications' x-signature, as the secret of MercadoPago's webhook settings does. */
  webhookSecret: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 or omitted: a free port. */
  port?: number;
  /** The waits before each retry of a notification not answered 200/201. Default [1000, 5000, 30000]. */
  notifyRetryDelaysMs?: number[];
}

export interface MercadoPagoSandbox {
  /** Set mercadopago's `AppConfig.BASE_URL` to it; init_points point here too. */
  url: string;
  /** Newest first, as are the next two. */
  preferences(): SandboxPreference[];
  payments(): SandboxPayment[];
  /** Every delivery attempt, with the receiver's answer. */
  notifications(): SandboxNotification[];
  /** What posting the checkout form does: a payment for the preference, then its notification. */
  pay(preferenceId: string, outcome: CheckoutOutcome): Promise<SandboxPayment>;
  /** The next `count` notifications are lost: never sent (listed with `dropped: true`). */
  dropNextNotifications(count: number): void;
  /** The next `count` notifications are delivered twice. */
  duplicateNextNotifications(count: number): void;
  /** Changes a payment's status (charged_back, cancelled, …) and notifies payment.updated. */
  setPaymentStatus(paymentId: string | number, status: string): Promise<void>;
  /** The next `count` API calls answer `status` with MercadoPago's error body instead. */
  failNext(count: number, status: 429 | 500 | 503): void;
  close(): Promise<void>;
}

// The collector (the shop's MercadoPago account) of every preference and payment.
const SANDBOX_COLLECTOR_ID = 1_000_000_001;

/** The part of MercadoPago's API a Checkout Pro integration calls, its checkout page, and its webhooks. */
export async function startMercadoPagoSandbox(
  options: MercadoPagoSandboxOptions,
): Promise<MercadoPagoSandbox> {
  const stopped = new AbortController();
  const nextId = idSequence();
  const sent = new RecentList<SandboxNotification>((notification) => notification.requestId);
  const notifier = new Notifier({
    webhookSecret: options.webhookSecret,
    collectorId: SANDBOX_COLLECTOR_ID,
    retryDelaysMs: options.notifyRetryDelaysMs ?? [1_000, 5_000, 30_000],
    sent,
    nextId,
    signal: stopped.signal,
  });
  const ledger: Ledger = {
    baseUrl: '',
    collectorId: SANDBOX_COLLECTOR_ID,
    preferences: new RecentList((preference) => preference.id),
    payments: new RecentList((payment) => String(payment.id)),
    notify: (payment, action) => notifier.notify(payment, action),
    nextId,
  };
  const failures: MercadoPagoApiError[] = [];
  const app = mercadoPagoApp({
    accessToken: options.accessToken,
    ledger,
    nextFailure: () => failures.shift(),
  });
  const http = await listenHttp(app, options.host ?? '127.0.0.1', options.port ?? 0);
  ledger.baseUrl = http.url;
  return {
    url: http.url,
    preferences: () => ledger.preferences.all(),
    payments: () => ledger.payments.all(),
    notifications: () => sent.all(),
    pay: async (preferenceId, outcome) => structuredClone(payPreference(ledger, preferenceId, outcome)),
    dropNextNotifications: (count) => notifier.dropNext(count),
    duplicateNextNotifications: (count) => notifier.duplicateNext(count),
    async setPaymentStatus(paymentId, status) {
      changePaymentStatus(ledger, Number(paymentId), status);
    },
    failNext(count, status) {
      for (let i = 0; i < count; i++) failures.push(simulatedFailure(status));
    },
    async close() {
      stopped.abort();
      await http.close();
    },
  };
}
