import type { Sequelize, Transaction } from 'sequelize';
import type { ServiceName } from '../auth/service-token.js';
import type { ProblemDetails } from '../problem.js';

export type OutboxMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const OUTBOX_METHODS: readonly OutboxMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
export const DEFAULT_OUTBOX_TABLE = 'outbox';

/** What a claimed row carries to the dispatcher; `attempts` counts this one and fences the record. */
export interface ClaimedOutboxRow {
  id: string;
  target: ServiceName;
  method: OutboxMethod;
  path: string;
  body: unknown;
  idempotencyKey: string;
  attempts: number;
}

export interface OutboxStats {
  pending: number;
  oldestPendingAgeSeconds: number;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The table name, checked: it is written into SQL text, since identifiers cannot be bound. */
export function outboxTable(table = DEFAULT_OUTBOX_TABLE): string {
  if (!TABLE_NAME.test(table)) throw new Error(`outbox: "${table}" is not a table name`);
  return table;
}

export async function insertOutboxRow(
  sequelize: Sequelize,
  transaction: Transaction,
  table: string,
  row: { target: string; method: OutboxMethod; path: string; body: unknown; idempotencyKey: string },
): Promise<boolean> {
  const [inserted] = await sequelize.query(
    `INSERT INTO "${table}" (target, method, path, body, idempotency_key)
     VALUES ($target, $method, $path, $body::jsonb, $idempotencyKey)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    {
      bind: { ...row, body: row.body === undefined ? null : JSON.stringify(row.body) },
      transaction,
    },
  );
  return (inserted as unknown[]).length === 1;
}

/**
 * Claims the due rows no other dispatcher holds, and hides them for `leaseMs` by moving their next
 * attempt: the locks last only this statement, so the send happens with no transaction open, and a
 * dispatcher that dies mid-send leaves its rows to be claimed again once the lease runs out. The claim
 * clears `last_error`, so a pending row with an error is exactly one waiting out a failed attempt's
 * backoff, never one whose lease hides a send in flight ({@link makeOutboxRetriesDue} relies on it).
 */
export async function claimDueOutboxRows(
  sequelize: Sequelize,
  table: string,
  limit: number,
  leaseMs: number,
): Promise<ClaimedOutboxRow[]> {
  const [rows] = await sequelize.query(
    `WITH due AS (
       SELECT id FROM "${table}"
       WHERE status = 'pending' AND next_attempt_at <= now()
       ORDER BY next_attempt_at
       LIMIT $limit
       FOR UPDATE SKIP LOCKED
     )
     UPDATE "${table}" AS row
     SET attempts = row.attempts + 1, next_attempt_at = now() + $leaseMs * interval '1 millisecond',
         last_error = NULL
     FROM due
     WHERE row.id = due.id
     RETURNING row.id, row.target, row.method, row.path, row.body,
               row.idempotency_key AS "idempotencyKey", row.attempts`,
    { bind: { limit, leaseMs } },
  );
  return rows as ClaimedOutboxRow[];
}

/** The record is kept only by the latest claim of a row (same attempt count), never by a stale one. */
const CLAIM_STILL_HELD = `id = $id AND attempts = $attempts AND status = 'pending'`;

export async function markOutboxRowDelivered(
  sequelize: Sequelize,
  table: string,
  row: ClaimedOutboxRow,
): Promise<void> {
  await sequelize.query(
    `UPDATE "${table}" SET status = 'delivered', delivered_at = now(), last_error = NULL
     WHERE ${CLAIM_STILL_HELD}`,
    { bind: { id: row.id, attempts: row.attempts } },
  );
}

/** Records a failed attempt: the row waits `retryInMs`, or is failed for good when that is null. */
export async function markOutboxRowFailedAttempt(
  sequelize: Sequelize,
  table: string,
  row: ClaimedOutboxRow,
  error: ProblemDetails,
  retryInMs: number | null,
): Promise<void> {
  await sequelize.query(
    `UPDATE "${table}"
     SET last_error = $error::jsonb,
         status = CASE WHEN $retryInMs::float8 IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = CASE WHEN $retryInMs::float8 IS NULL THEN next_attempt_at
                                ELSE now() + $retryInMs::float8 * interval '1 millisecond' END
     WHERE ${CLAIM_STILL_HELD}`,
    { bind: { id: row.id, attempts: row.attempts, error: JSON.stringify(error), retryInMs } },
  );
}

/**
 * Answers that say the target could not serve at all (no answer, an open circuit, a gateway's 502 or
 * 504), rather than that this message failed there: a 500 (or a 429, 409) stays on its backoff, so a
 * message the target keeps failing does not spend its attempts on every round the target is up.
 */
const TARGET_DOWN_STATUSES = ['502', '503', '504'];

/**
 * Makes the rows for `targets` whose last attempt found the target down due now, once a send to it
 * succeeded (theirs may be another dispatcher's rows: the table is shared). A claim clears the error,
 * so a leased row never matches and a send in flight is never started twice; rows another statement
 * holds are skipped, as the claim does. The (status, next_attempt_at) index bounds the scan to rows not
 * yet due: only the leased ones, about a batch per dispatcher, when nothing waits.
 */
export async function makeOutboxRetriesDue(
  sequelize: Sequelize,
  table: string,
  targets: string[],
): Promise<number> {
  const [madeDue] = await sequelize.query(
    `WITH waiting AS (
       SELECT id FROM "${table}"
       WHERE status = 'pending' AND next_attempt_at > now()
         AND target = ANY($targets::text[]) AND last_error->>'status' = ANY($downStatuses::text[])
       FOR UPDATE SKIP LOCKED
     )
     UPDATE "${table}" AS row SET next_attempt_at = now()
     FROM waiting
     WHERE row.id = waiting.id
     RETURNING row.id`,
    { bind: { targets, downStatuses: TARGET_DOWN_STATUSES } },
  );
  return (madeDue as unknown[]).length;
}

/**
 * Deletes up to `limit` rows delivered more than `retentionMs` ago; pending and failed rows are never
 * touched. The table's (status, next_attempt_at) index finds them: a delivered row's next attempt is
 * its last claim plus the lease, so it passes the cutoff at most a lease after its delivery does, and
 * every service's existing table is served without a new index.
 */
export async function deleteDeliveredOutboxRows(
  sequelize: Sequelize,
  table: string,
  retentionMs: number,
  limit: number,
): Promise<number> {
  const [deleted] = await sequelize.query(
    `WITH expired AS (
       SELECT id FROM "${table}"
       WHERE status = 'delivered'
         AND next_attempt_at < now() - $retentionMs::float8 * interval '1 millisecond'
         AND delivered_at < now() - $retentionMs::float8 * interval '1 millisecond'
       LIMIT $limit
       FOR UPDATE SKIP LOCKED
     )
     DELETE FROM "${table}" AS row USING expired WHERE row.id = expired.id
     RETURNING row.id`,
    { bind: { retentionMs, limit } },
  );
  return (deleted as unknown[]).length;
}

export async function readOutboxStats(sequelize: Sequelize, table: string): Promise<OutboxStats> {
  const [rows] = await sequelize.query(
    `SELECT count(*)::int AS pending,
            coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS "oldestPendingAgeSeconds"
     FROM "${table}" WHERE status = 'pending'`,
  );
  return (rows as OutboxStats[])[0]!;
}
