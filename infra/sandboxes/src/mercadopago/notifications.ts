import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecentList } from '../recent-list.js';
import type { NotificationAction, SandboxNotification, SandboxPayment } from './mercadopago-sandbox.js';

// MercadoPago waits 22 s for the first answer and 5 s for later ones; one bound serves a sandbox.
const ANSWER_TIMEOUT_MS = 10_000;

export interface NotifierOptions {
  webhookSecret: string;
  collectorId: number;
  /** The wait before each retry; their count is the number of retries. */
  retryDelaysMs: number[];
  sent: RecentList<SandboxNotification>;
  nextId: () => number;
  signal: AbortSignal;
}

/**
 * Tells a payment's notification_url what happened to it, as MercadoPago's webhooks do: a JSON POST
 * to `notification_url?data.id=…&type=payment` with x-request-id and x-signature, tried again while
 * the answer is not 200 or 201. A test can have the next notifications lost or sent twice.
 */
export class Notifier {
  #drop = 0;
  #duplicate = 0;

  constructor(private readonly options: NotifierOptions) {}

  dropNext(count: number): void {
    this.#drop += count;
  }

  duplicateNext(count: number): void {
    this.#duplicate += count;
  }

  notify(payment: SandboxPayment, action: NotificationAction): void {
    if (!payment.notificationUrl) return;
    const dataId = String(payment.id);
    const url = new URL(payment.notificationUrl);
    url.searchParams.set('data.id', dataId);
    url.searchParams.set('type', 'payment');
    const notification = {
      url: url.href,
      action,
      paymentId: dataId,
      requestId: randomUUID(),
      body: {
        action,
        api_version: 'v1',
        data: { id: dataId },
        date_created: new Date().toISOString(),
        id: this.options.nextId(),
        live_mode: false,
        type: 'payment',
        user_id: String(this.options.collectorId),
      },
    };
    if (this.#drop > 0) {
      this.#drop--;
      this.#record(notification, { attempt: 1, status: null, signature: '', dropped: true });
      return;
    }
    const copies = this.#duplicate > 0 ? 2 : 1;
    if (copies === 2) this.#duplicate--;
    for (let copy = 0; copy < copies; copy++) void this.#deliver(notification);
  }

  async #deliver(notification: Outgoing): Promise<void> {
    const { retryDelaysMs, signal } = this.options;
    try {
      for (let attempt = 1; ; attempt++) {
        const signature = this.#sign(notification);
        const status = await fetch(notification.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'x-request-id': notification.requestId,
            'x-signature': signature,
          },
          body: JSON.stringify(notification.body),
          signal: AbortSignal.any([signal, AbortSignal.timeout(ANSWER_TIMEOUT_MS)]),
        }).then(
          async (res) => {
            await res.body?.cancel();
            return res.status;
          },
          () => null,
        );
        if (signal.aborted) return;
        this.#record(notification, { attempt, status, signature, dropped: false });
        const delay = retryDelaysMs[attempt - 1];
        if (status === 200 || status === 201 || delay === undefined) return;
        await sleep(delay, undefined, { signal });
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  // Signed again at each attempt, with the time of that attempt: a receiver that refuses stale
  // signatures (as it should) would otherwise refuse every late retry.
  #sign(notification: Outgoing): string {
    const ts = Math.floor(Date.now() / 1000);
    const manifest = `id:${notification.paymentId};request-id:${notification.requestId};ts:${ts};`;
    const v1 = createHmac('sha256', this.options.webhookSecret).update(manifest).digest('hex');
    return `ts=${ts},v1=${v1}`;
  }

  #record(
    notification: Outgoing,
    delivery: Pick<SandboxNotification, 'attempt' | 'status' | 'signature' | 'dropped'>,
  ): void {
    this.options.sent.add({ ...notification, ...delivery, at: new Date().toISOString() });
  }
}

type Outgoing = Omit<SandboxNotification, 'attempt' | 'status' | 'signature' | 'dropped' | 'at'>;
