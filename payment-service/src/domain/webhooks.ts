import { InvalidWebhookSignatureError, WebhookSignatureValidator } from 'mercadopago';
import { problems } from '@escalable/shop-sdk';
import { startPeriodicJob, type PeriodicJob } from '@escalable/shop-sdk/server';
import {
  claimDueWebhookEvents,
  deleteProcessedWebhookEvents,
  insertWebhookEvent,
  markWebhookEventFailed,
  markWebhookEventProcessed,
  type ClaimedWebhookEvent,
} from '../db/webhook-events.js';
import type { PaymentDependencies } from './dependencies.js';
import { settleProviderPayment } from './settlement.js';

/** A MercadoPago notification as it arrives: its signature headers, query and body. */
export interface WebhookDelivery {
  signature: string | undefined;
  requestId: string | undefined;
  query: Record<string, unknown>;
  body: unknown;
}

/**
 * Takes a MercadoPago notification: refused (401, nothing stored) unless `x-signature` signs its
 * data.id, x-request-id and a timestamp within the tolerance with the webhook secret; stored
 * otherwise, for {@link startWebhookProcessing} to read the payment from MercadoPago, once per
 * x-request-id: a redelivery is acknowledged and not stored again. Nothing in the body is trusted
 * beyond naming what to read.
 */
export async function receiveWebhook(delivery: WebhookDelivery, deps: PaymentDependencies): Promise<void> {
  const dataId = firstString(delivery.query['data.id']) ?? firstString(delivery.query.id);
  try {
    WebhookSignatureValidator.validate({
      xSignature: delivery.signature,
      xRequestId: delivery.requestId,
      dataId,
      secret: deps.webhookSecret,
      toleranceSeconds: deps.webhookToleranceSeconds,
    });
  } catch (error) {
    if (!(error instanceof InvalidWebhookSignatureError)) throw error;
    deps.logger.warn({ reason: error.reason, requestId: delivery.requestId }, 'webhook signature refused');
    throw problems.unauthorized('The x-signature does not sign this notification, or it is too old', {
      extensions: { reason: error.reason },
    });
  }
  const topic = firstString(delivery.query.type) ?? firstString(delivery.query.topic) ?? 'unknown';
  // Signed, but about something else (a merchant order, a plan): acknowledged, nothing to read.
  if (topic !== 'payment' || !dataId) return;
  const stored = await insertWebhookEvent({
    requestId: delivery.requestId ?? null,
    topic,
    dataId,
    body: delivery.body ?? {},
  });
  if (!stored)
    deps.logger.info({ requestId: delivery.requestId, dataId }, 'webhook delivered again; already stored');
}

/**
 * How long a processed notification is kept to recognize its redeliveries. A delivery is accepted
 * while its signed ts is within the tolerance of now, either way, so a copy of one received at t can
 * come until t + 2 × tolerance; a minute more covers clocks of instances and database that disagree.
 * Past that the signature check refuses any copy, and the row can go.
 */
const dedupeWindowSeconds = (toleranceSeconds: number) => 2 * toleranceSeconds + 60;

/** Processed events deleted per round at most: short statements, and a backlog drains over rounds. */
const PRUNE_BATCH_SIZE = 500;

/**
 * Reads the payments named by stored notifications from MercadoPago and settles them, on a timer in
 * every instance; a notification MercadoPago cannot answer for now is tried again later. Each round
 * also deletes a batch of processed notifications past their dedupe window, so the table holds
 * minutes of them rather than all that ever came.
 */
export function startWebhookProcessing(deps: PaymentDependencies, intervalMs: number): PeriodicJob {
  const settle = async (event: ClaimedWebhookEvent) => {
    try {
      const payment = await deps.mercadopago.getPayment(event.dataId);
      // An unknown payment (another seller's test, a forged id that was signed) is done with.
      if (payment) await settleProviderPayment(payment, 'webhook', deps.logger);
      await markWebhookEventProcessed(event.id);
    } catch (error) {
      const retryInMs = Math.min(60_000, 1_000 * 2 ** Math.min(event.attempts, 6));
      deps.logger.warn({ err: error, webhookEventId: event.id, retryInMs }, 'webhook payment not read yet');
      await markWebhookEventFailed(event.id, (error as Error).message, retryInMs);
    }
  };
  return startPeriodicJob({
    name: 'mercadopago webhooks',
    intervalMs,
    logger: deps.logger,
    run: async () => {
      const events = await claimDueWebhookEvents(20, 30_000);
      for (const event of events) await settle(event);
      await deleteProcessedWebhookEvents(dedupeWindowSeconds(deps.webhookToleranceSeconds), PRUNE_BATCH_SIZE);
    },
  });
}

function firstString(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.length > 0 ? first : undefined;
}
