import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { WebhookEvent } from './models.js';

export interface ClaimedWebhookEvent {
  id: string;
  topic: string;
  dataId: string;
  attempts: number;
}

/** Stores a notification; false when one with its x-request-id is already stored (a redelivery). */
export async function insertWebhookEvent(event: {
  requestId: string | null;
  topic: string;
  dataId: string;
  body: unknown;
}): Promise<boolean> {
  const [stored] = await WebhookEvent.sequelize!.query(
    `INSERT INTO webhook_events (id, request_id, topic, data_id, body)
     VALUES ($id, $requestId, $topic, $dataId, $body::jsonb)
     ON CONFLICT (request_id) DO NOTHING
     RETURNING id`,
    { bind: { ...event, id: randomUUID(), body: JSON.stringify(event.body) } },
  );
  return (stored as unknown[]).length === 1;
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

/**
 * Deletes up to `limit` processed events received more than `keepSeconds` ago; an event not yet
 * processed is kept however old it is.
 */
export async function deleteProcessedWebhookEvents(keepSeconds: number, limit: number): Promise<number> {
  const [deleted] = await WebhookEvent.sequelize!.query(
    `DELETE FROM webhook_events
     WHERE id IN (
       SELECT id FROM webhook_events
       WHERE processed_at IS NOT NULL AND received_at < now() - make_interval(secs => $keepSeconds)
       ORDER BY received_at
       LIMIT $limit
       FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    { bind: { keepSeconds, limit } },
  );
  return (deleted as unknown[]).length;
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
