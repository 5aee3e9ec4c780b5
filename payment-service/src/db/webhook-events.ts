import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { WebhookEvent } from './models.js';

export interface ClaimedWebhookEvent {
  id: string;
  topic: string;
  dataId: string;
  attempts: number;
}

export async function insertWebhookEvent(event: {
  requestId: string | null;
  topic: string;
  dataId: string;
  body: unknown;
}): Promise<void> {
  await WebhookEvent.create({ id: randomUUID(), ...event });
}

/**
 * Claims up to `batchSize` events not yet read through, moving their next attempt `leaseMs` ahead in
 * the same statement, so another instance takes them only once this one has had time to finish.
 */
export async function claimDueWebhookEvents(
  batchSize: number,
  leaseMs: number,
): Promise<ClaimedWebhookEvent[]> {
  return WebhookEvent.sequelize!.query<ClaimedWebhookEvent>(
    `UPDATE webhook_events
     SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $leaseMs / 1000.0)
     WHERE id IN (
       SELECT id FROM webhook_events
       WHERE processed_at IS NULL AND next_attempt_at <= now()
       ORDER BY received_at
       LIMIT $batchSize
       FOR UPDATE SKIP LOCKED)
     RETURNING id, topic, data_id AS "dataId", attempts`,
    { bind: { batchSize, leaseMs }, type: QueryTypes.SELECT },
  );
}

export async function markWebhookEventProcessed(id: string): Promise<void> {
  await WebhookEvent.update({ processedAt: new Date(), lastError: null }, { where: { id } });
}

export async function markWebhookEventFailed(id: string, error: string, retryInMs: number): Promise<void> {
  await WebhookEvent.update(
    { lastError: error, nextAttemptAt: new Date(Date.now() + retryInMs) },
    { where: { id } },
  );
}
