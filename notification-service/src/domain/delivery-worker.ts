import { Problem, type NotificationLocale } from '@escalable/shop-sdk';
import { startPeriodicJob, type PeriodicJob } from '@escalable/shop-sdk/server';
import {
  claimDueDeliveries,
  dueDeliveryCommits,
  recordAttempt,
  type AttemptOutcome,
  type ClaimedDelivery,
} from '../db/deliveries.js';
import type { NotificationDependencies } from './dependencies.js';
import { DeliveryFailure, permanentFailure, temporaryFailure } from './delivery-failure.js';
import { retryDelayMs } from './retry-delay.js';
import { renderNotification } from './templates.js';

interface Contact {
  email: string | null;
  phone: string | null;
  name?: string;
  locale: NotificationLocale;
}

/**
 * Sends what is due now, as this instance's share: claim a batch (leased, so no other instance sends
 * it), send each outside any transaction, record each outcome. Answers how many were claimed.
 */
export async function deliverDueNotifications(deps: NotificationDependencies): Promise<number> {
  const claimed = await claimDueDeliveries(deps.delivery.batchSize, deps.delivery.leaseMs);
  await Promise.all(claimed.map((delivery) => deliver(delivery, deps)));
  return claimed.length;
}

async function deliver(delivery: ClaimedDelivery, deps: NotificationDependencies): Promise<void> {
  const outcome = await attemptDelivery(delivery, deps);
  const recorded = await recordAttempt(delivery, outcome);
  const log = {
    deliveryId: delivery.id,
    channel: delivery.channel,
    attempt: delivery.attempt,
    status: outcome.status,
  };
  if (!recorded) deps.logger.warn(log, 'delivery lease lost before its outcome was recorded');
  else if (outcome.status === 'sent') deps.logger.info(log, 'notification sent');
  // The reason stays in the delivery log: providers quote the address they refused.
  else deps.logger.warn(log, 'notification not sent');
}

async function attemptDelivery(
  delivery: ClaimedDelivery,
  deps: NotificationDependencies,
): Promise<AttemptOutcome> {
  let recipient: string | null = null;
  try {
    const contact = await contactOf(delivery, deps);
    recipient = delivery.channel === 'email' ? contact.email : contact.phone;
    if (!recipient)
      return {
        status: 'skipped',
        recipient: null,
        reason: `the recipient has no ${delivery.channel === 'email' ? 'e-mail' : 'phone'}`,
      };
    const message = renderNotification(delivery.type, contact.locale, delivery.data, contact.name);
    const providerId =
      delivery.channel === 'email'
        ? await deps.email.send({ to: recipient, ...message, idempotencyKey: delivery.idempotencyKey })
        : await deps.sms.send({ to: recipient, body: message.sms });
    return { status: 'sent', recipient, providerId };
  } catch (error) {
    if (!(error instanceof DeliveryFailure))
      deps.logger.error({ err: error, deliveryId: delivery.id }, 'delivery attempt broke');
    const failure =
      error instanceof DeliveryFailure ? error : temporaryFailure(`unexpected: ${String(error)}`);
    if (failure.permanent) return { status: 'failed', recipient, reason: failure.message };
    if (delivery.attempt >= deps.delivery.maxAttempts)
      return {
        status: 'failed',
        recipient,
        reason: `gave up after ${delivery.attempt} attempts: ${failure.message}`,
      };
    return {
      status: 'pending',
      recipient,
      reason: failure.message,
      retryInMs: retryDelayMs(delivery.attempt, deps.delivery),
    };
  }
}

/**
 * The recipient as of now: a user's contact is read from user-service at each attempt, so a changed
 * e-mail or language is honoured. user-service not answering is temporary; a user who no longer
 * exists is not.
 */
async function contactOf(delivery: ClaimedDelivery, deps: NotificationDependencies): Promise<Contact> {
  if (delivery.userId === null) {
    const address = delivery.address ?? {};
    return {
      email: address.email ?? null,
      phone: address.phone ?? null,
      name: address.name,
      locale: delivery.locale ?? 'es',
    };
  }
  try {
    const contact = await deps.users.getContact(delivery.userId);
    return {
      email: contact.email,
      phone: contact.phone,
      name: contact.name,
      locale: delivery.locale ?? contact.locale ?? 'es',
    };
  } catch (error) {
    if (error instanceof Problem && error.status === 404)
      throw permanentFailure('the user does not exist', error);
    throw temporaryFailure(`user-service: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

export interface DeliveryWorkerSettings {
  intervalMs: number;
}

/**
 * Runs {@link deliverDueNotifications} on a timer in this instance until stopped; a full batch goes
 * again at once, and so do deliveries this instance has just accepted or requeued.
 */
export function startDeliveryWorker(
  deps: NotificationDependencies,
  { intervalMs }: DeliveryWorkerSettings,
): PeriodicJob {
  return startPeriodicJob({
    name: 'notification-delivery',
    intervalMs,
    wakeOnCommit: dueDeliveryCommits(),
    logger: deps.logger,
    run: async () => {
      let claimed: number;
      do claimed = await deliverDueNotifications(deps);
      while (claimed === deps.delivery.batchSize);
    },
  });
}
