import { QueryTypes, type Transaction } from 'sequelize';
import type {
  DeliveryStatus,
  NotificationChannel,
  NotificationLocale,
  NotificationType,
} from '@escalable/shop-sdk';
import { wakeAfterCommit } from '@escalable/shop-sdk/server';
import { Delivery, type BareAddress } from './models.js';
import { toStoredDelivery, type StoredDelivery } from './notifications.js';

/** A delivery an instance claimed, with what it needs from its notification to send it. */
export interface ClaimedDelivery {
  id: string;
  channel: NotificationChannel;
  /** This attempt's number: the fence of every write about it. */
  attempt: number;
  notificationId: string;
  idempotencyKey: string;
  type: NotificationType;
  userId: string | null;
  address: BareAddress | null;
  data: Record<string, unknown>;
  locale: NotificationLocale | null;
}

/** A delivery in the admin log: the row and its notification's type and user. */
export interface LoggedDelivery extends StoredDelivery {
  type: NotificationType;
  userId: string | null;
}

export interface DeliveryFilter {
  id?: string;
  status?: DeliveryStatus;
  channel?: NotificationChannel;
  type?: NotificationType;
  /** An address the delivery went to, or the id of the user it was for. */
  recipient?: string;
}

const sequelize = () => Delivery.sequelize!;

/**
 * Takes up to `batchSize` due deliveries for this instance: pending ones whose time has come, and
 * sending ones whose lease ran out (the instance that held them stopped). Each is leased for
 * `leaseMs`, its attempt counted, in one statement; SKIP LOCKED lets every instance claim at once,
 * each getting other rows.
 */
export async function claimDueDeliveries(batchSize: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const rows = await sequelize().query<Record<string, unknown>>(
    `UPDATE deliveries d
     SET status = 'sending', attempts = d.attempts + 1, updated_at = now(),
         next_attempt_at = now() + $leaseMs * interval '1 millisecond'
     FROM notifications n
     WHERE n.id = d.notification_id AND d.id IN (
       SELECT id FROM deliveries
       WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
       ORDER BY next_attempt_at
       LIMIT $batchSize
       FOR UPDATE SKIP LOCKED)
     RETURNING d.id, d.channel, d.attempts, n.id AS notification_id, n.idempotency_key, n.type,
               n.user_id, n.address, n.data, n.locale`,
    { bind: { batchSize, leaseMs }, type: QueryTypes.SELECT },
  );
  return rows.map((row) => ({
    id: row.id as string,
    channel: row.channel as NotificationChannel,
    attempt: row.attempts as number,
    notificationId: row.notification_id as string,
    idempotencyKey: row.idempotency_key as string,
    type: row.type as NotificationType,
    userId: row.user_id as string | null,
    address: row.address as BareAddress | null,
    data: row.data as Record<string, unknown>,
    locale: row.locale as NotificationLocale | null,
  }));
}

export type AttemptOutcome =
  | { status: 'sent'; recipient: string; providerId: string }
  | { status: 'skipped' | 'failed'; recipient: string | null; reason: string }
  | { status: 'pending'; recipient: string | null; reason: string; retryInMs: number };

/**
 * Records how an attempt ended. Only the instance holding the attempt writes: when its lease ran out
 * and another instance took the delivery over, this changes nothing and answers false.
 */
export async function recordAttempt(
  claimed: Pick<ClaimedDelivery, 'id' | 'attempt'>,
  outcome: AttemptOutcome,
): Promise<boolean> {
  const [, affected] = await sequelize().query(
    `UPDATE deliveries
     SET status = $status::varchar, recipient = coalesce($recipient::varchar, recipient),
         provider_id = $providerId, last_error = $reason, updated_at = now(),
         next_attempt_at = CASE WHEN $status::varchar = 'pending'
           THEN now() + $retryInMs * interval '1 millisecond' END
     WHERE id = $id AND status = 'sending' AND attempts = $attempt`,
    {
      bind: {
        id: claimed.id,
        attempt: claimed.attempt,
        status: outcome.status,
        recipient: outcome.recipient,
        providerId: outcome.status === 'sent' ? outcome.providerId : null,
        reason: outcome.status === 'sent' ? null : outcome.reason.slice(0, 500),
        retryInMs: outcome.status === 'pending' ? outcome.retryInMs : 0,
      },
      type: QueryTypes.UPDATE,
    },
  );
  return affected > 0;
}

const STATUS_RANK = `CASE status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'failed' THEN 2 ELSE 0 END`;

/**
 * Moves an SMS delivery, found by Twilio's message SID, forward to `status`: a callback that arrives
 * late (`sent` after `delivered`) changes nothing. Answers whether the SID is one of ours.
 */
export async function advanceSmsStatus(
  messageSid: string,
  status: 'sent' | 'delivered' | 'failed',
  rank: number,
  reason: string | null,
): Promise<boolean> {
  const rows = await sequelize().query<{ id: string }>(
    `WITH found AS (SELECT id FROM deliveries WHERE provider_id = $messageSid AND channel = 'sms'),
     moved AS (
       UPDATE deliveries
       SET status = $status::varchar, last_error = coalesce($reason::varchar, last_error), updated_at = now()
       WHERE id IN (SELECT id FROM found) AND ${STATUS_RANK} < $rank
       RETURNING id)
     SELECT id FROM found`,
    { bind: { messageSid, status, rank, reason }, type: QueryTypes.SELECT },
  );
  return rows.length > 0;
}

/** A delivery by id, locked when a transaction is given. */
export async function deliveryById(id: string, transaction?: Transaction) {
  const row = await Delivery.findByPk(id, {
    transaction,
    lock: transaction ? transaction.LOCK.UPDATE : undefined,
  });
  return row ? toStoredDelivery(row) : undefined;
}

/** Puts a delivery back in line with a fresh count of attempts. */
export async function requeueDelivery(id: string, transaction: Transaction): Promise<void> {
  await Delivery.update(
    { status: 'pending', attempts: 0, nextAttemptAt: new Date() },
    { where: { id }, transaction },
  );
  wakeAfterCommit(transaction, Delivery.tableName);
}

/** What a worker listens for to hear that a transaction of this process made deliveries due. */
export const dueDeliveryCommits = () => ({ sequelize: sequelize(), table: Delivery.tableName });

/** The delivery log, newest first, filtered, and how many match. */
export async function listDeliveries(
  filter: DeliveryFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: LoggedDelivery[]; total: number }> {
  const conditions: string[] = [];
  if (filter.id) conditions.push('d.id = $id');
  if (filter.status) conditions.push('d.status = $status');
  if (filter.channel) conditions.push('d.channel = $channel');
  if (filter.type) conditions.push('n.type = $type');
  if (filter.recipient) conditions.push('(d.recipient = $recipient OR n.user_id::text = lower($recipient))');
  const whereSql = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const bind = { ...filter, ...page };
  const rows = await sequelize().query<Record<string, unknown>>(
    `SELECT d.*, n.type, n.user_id, count(*) OVER () AS total
     FROM deliveries d JOIN notifications n ON n.id = d.notification_id
     ${whereSql}
     ORDER BY d.created_at DESC, d.id DESC
     LIMIT $limit OFFSET $offset`,
    { bind, type: QueryTypes.SELECT },
  );
  const total = rows.length > 0 ? Number(rows[0]!.total) : await countDeliveries(whereSql, bind);
  return { rows: rows.map(toLoggedDelivery), total };
}

async function countDeliveries(whereSql: string, bind: Record<string, unknown>): Promise<number> {
  const [row] = await sequelize().query<{ count: number }>(
    `SELECT count(*)::int AS count FROM deliveries d JOIN notifications n ON n.id = d.notification_id ${whereSql}`,
    { bind, type: QueryTypes.SELECT },
  );
  return row!.count;
}

function toLoggedDelivery(row: Record<string, unknown>): LoggedDelivery {
  return {
    id: row.id as string,
    notificationId: row.notification_id as string,
    channel: row.channel as NotificationChannel,
    status: row.status as DeliveryStatus,
    recipient: row.recipient as string | null,
    attempts: row.attempts as number,
    lastError: row.last_error as string | null,
    providerId: row.provider_id as string | null,
    nextAttemptAt: row.next_attempt_at as Date | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
    type: row.type as NotificationType,
    userId: row.user_id as string | null,
  };
}

/** How many deliveries are in each status, for the metrics. */
export async function countDeliveriesByStatus(): Promise<{ status: DeliveryStatus; count: number }[]> {
  return sequelize().query<{ status: DeliveryStatus; count: number }>(
    'SELECT status, count(*)::int AS count FROM deliveries GROUP BY status',
    { type: QueryTypes.SELECT },
  );
}
